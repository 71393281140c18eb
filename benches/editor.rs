//! The editor's in-process figures: keystroke to frame, and the bytes one keystroke writes to
//! the terminal.
//!
//! `cargo bench --bench editor` prints the bytes table first, then divan's timings. A
//! keystroke is what the run loop does for one key: the keymap, `update`, `view` into a
//! 120×40 frame, ratatui's diff against the last frame, and the crossterm backend writing
//! the difference (here into a counter instead of a terminal).

use std::cell::Cell;
use std::io::{self, Write};
use std::path::PathBuf;
use std::rc::Rc;

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::tui::model::{Focus, Model};
use escalator::tui::{update, view};
use escalator::workspace::sidecar::Sidecar;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Bot sizes, in integrations.
const SIZES: [usize; 3] = [10, 1_000, 10_000];

/// Counts what the backend writes, into a cell the caller keeps.
#[derive(Default, Clone)]
struct Counter {
    bytes: Rc<Cell<usize>>,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.set(self.bytes.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

type Screen = Terminal<CrosstermBackend<Counter>>;

fn new_screen(counter: Counter) -> Screen {
    Terminal::with_options(
        CrosstermBackend::new(counter),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .expect("a fixed viewport needs no terminal")
}

/// A generated bot of `n` integrations, open in the editor with its first escalation's
/// Message to User being typed into, and one frame drawn.
fn editing(n: usize) -> (Model, Screen, Rc<Cell<usize>>) {
    let text = escalator::bot::generate::bot(n, 7);
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("the generated bot loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bench.json"));
    model.size = (120, 40);
    model.focus = Focus::Field(Field::Message);
    press(&mut model, KeyCode::Enter);
    assert!(model.editing.is_some(), "Enter starts editing the message");
    // One character first: the keystrokes measured (a letter, then Backspace) keep the bot
    // modified, as typing does, rather than going back and forth to the saved state (which
    // redraws "[modified]" each time).
    press(&mut model, KeyCode::Char('~'));
    assert!(model.is_modified());
    let counter = Counter::default();
    let bytes = Rc::clone(&counter.bytes);
    let mut screen = new_screen(counter);
    draw(&mut screen, &model);
    (model, screen, bytes)
}

fn press(model: &mut Model, code: KeyCode) {
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(action) = update::action_for(model, event) {
        update::update(model, action);
    }
}

#[inline(never)]
fn draw(screen: &mut Screen, model: &Model) {
    screen
        .draw(|frame| view::view(model, frame))
        .expect("drawing into a counter cannot fail");
}

/// One keystroke, alternately a letter and Backspace so the field keeps its length.
#[inline(never)]
fn keystroke(model: &mut Model, screen: &mut Screen, n: &mut u64) {
    *n += 1;
    let code = if *n % 2 == 1 {
        KeyCode::Char((b'a' + (*n / 2 % 26) as u8) as char)
    } else {
        KeyCode::Backspace
    };
    press(model, code);
    draw(screen, model);
}

#[divan::bench(args = SIZES, sample_count = 200)]
fn keystroke_to_frame(bencher: divan::Bencher, n: usize) {
    let (mut model, mut screen, _) = editing(n);
    let mut count = 0;
    bencher.bench_local(|| keystroke(&mut model, &mut screen, &mut count));
}

/// Moving down the list: the frame redraws the list, form and preview of another integration.
#[divan::bench(args = SIZES, sample_count = 200)]
fn list_step_to_frame(bencher: divan::Bencher, n: usize) {
    let (mut model, mut screen, _) = editing(n);
    press(&mut model, KeyCode::Esc);
    model.focus = Focus::List;
    let mut down = true;
    let mut steps = 0;
    bencher.bench_local(|| {
        steps += 1;
        if steps % 50 == 0 {
            down = !down;
        }
        press(&mut model, if down { KeyCode::Down } else { KeyCode::Up });
        draw(&mut screen, &model);
    });
}

fn median(mut values: Vec<usize>) -> usize {
    values.sort_unstable();
    values[values.len() / 2]
}

/// Bytes written for one typed character (median of 200), beside a full redraw.
fn bytes_table() {
    println!("bytes written to the terminal at 120x40 (crossterm backend)");
    println!(
        "{:>13} {:>20} {:>12}",
        "integrations", "typed char (median)", "full redraw"
    );
    for n in SIZES {
        let (mut model, mut screen, bytes) = editing(n);
        let mut count = 0;
        let mut per_key = Vec::new();
        for _ in 0..200 {
            let before = bytes.get();
            keystroke(&mut model, &mut screen, &mut count);
            per_key.push(bytes.get() - before);
        }
        // A fresh terminal has nothing on screen to diff against: every cell is written.
        let counter = Counter::default();
        let mut fresh = new_screen(counter.clone());
        draw(&mut fresh, &model);
        let full = counter.bytes.get();
        println!("{n:>13} {:>20} {full:>12}", median(per_key));
    }
    println!();
}

fn main() {
    // `cargo test --benches` runs each benchmark once: no table then.
    if !std::env::args().any(|a| a == "--test") {
        bytes_table();
    }
    divan::main();
}

/// A frame with nothing changed: view and diff alone, the floor under every keystroke.
#[divan::bench(args = [1_000], sample_count = 200)]
fn redraw_unchanged(bencher: divan::Bencher, n: usize) {
    let (model, mut screen, _) = editing(n);
    bencher.bench_local(|| draw(&mut screen, &model));
}

/// `update` alone for a typed character, without drawing.
#[divan::bench(args = [1_000], sample_count = 200)]
fn update_only(bencher: divan::Bencher, n: usize) {
    let (mut model, _, _) = editing(n);
    let mut count = 0u64;
    bencher.bench_local(|| {
        count += 1;
        press(
            &mut model,
            if count % 2 == 1 {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            },
        );
    });
}

/// A keystroke in the Integration Name field: names are shared facts (duplicates, the naming
/// pattern, the Integration interactions that run it), so this one rechecks the integrations
/// that share the old or the new name and the interactions that run it, found in the kept
/// indexes (under 2 ms at 10,000 integrations; it was the whole bot, 59 ms).
#[divan::bench(args = SIZES, sample_count = 20)]
fn name_keystroke_to_frame(bencher: divan::Bencher, n: usize) {
    let (mut model, mut screen, _) = editing(n);
    press(&mut model, KeyCode::Esc);
    model.focus = Focus::Field(Field::Name);
    press(&mut model, KeyCode::Enter);
    let mut count = 0;
    bencher.bench_local(|| keystroke(&mut model, &mut screen, &mut count));
}

/// A keystroke with the Simulate tab in the preview: the timeline is simulated again.
#[divan::bench(args = SIZES, sample_count = 100)]
fn keystroke_to_simulation_frame(bencher: divan::Bencher, n: usize) {
    let (mut model, mut screen, _) = editing(n);
    model.preview_tab = escalator::tui::model::PreviewTab::Simulate;
    let mut count = 0;
    bencher.bench_local(|| keystroke(&mut model, &mut screen, &mut count));
}
