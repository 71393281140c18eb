//! The engine's in-process figures on generated bots: opening, validating and rendering a
//! document for saving. `cargo bench --bench engine`.

use escalator::bot::BotDocument;
use escalator::bot::integration::Field;
use escalator::workspace::sidecar::Sidecar;

const SIZES: [usize; 3] = [10, 1_000, 10_000];

fn text(n: usize) -> String {
    escalator::bot::generate::bot(n, 7)
}

fn doc(n: usize) -> BotDocument {
    BotDocument::from_bytes(text(n).as_bytes()).expect("the generated bot loads")
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn open(bencher: divan::Bencher, n: usize) {
    let text = text(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench_local(|| BotDocument::from_bytes(text.as_bytes()).expect("loads"));
}

/// What `escalator validate` reads: the rules' parts of the bot, item by item, no tree.
#[divan::bench(args = SIZES, sample_count = 20)]
fn read_parts(bencher: divan::Bencher, n: usize) {
    let text = text(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench_local(|| escalator::bot::parts::BotParts::read(text.as_bytes()).expect("reads"));
}

/// Checking an opened document (scripts' syntax checks are cached after the first run).
#[divan::bench(args = SIZES, sample_count = 20)]
fn validate(bencher: divan::Bencher, n: usize) {
    let doc = doc(n);
    let sidecar = Sidecar::default();
    bencher.bench_local(|| escalator::rules::validate_bot(&doc, &sidecar));
}

/// The text a save writes after one field of one integration changed.
#[divan::bench(args = SIZES, sample_count = 20)]
fn render_after_edit(bencher: divan::Bencher, n: usize) {
    let mut doc = doc(n);
    doc.apply(escalator::bot::edit::Edit::Field {
        integration: 0,
        field: Field::Message,
        value: "One moment, please.".into(),
    })
    .expect("the first integration is an escalation");
    bencher.bench_local(|| doc.to_text());
}

/// A real-shaped Transform Result Script run on a small result: in this process, and in the
/// sandbox's worker process (what the editor and `script-test` pay per run).
const SCRIPT: &str = "var r = botContext.getBotVariable('api_Orders');\n\
                      var data = JSON.parse(r.jsonData);\n\
                      botContext.setBotVariable('count', data.api_Orders.items.length, true, false);";

#[divan::bench(sample_count = 20)]
fn script_run_in_process(bencher: divan::Bencher) {
    let raw = serde_json::json!({"items": [{"id": 1}, {"id": 2}]});
    bencher.bench_local(|| {
        escalator::runtime::script::run(SCRIPT, "Orders", &raw, &Default::default())
    });
}

#[divan::bench(sample_count = 20)]
fn script_run_in_a_worker(bencher: divan::Bencher) {
    // SAFETY: set before any thread of this benchmark reads the environment.
    unsafe { std::env::set_var("ESCALATOR_SCRIPT_WORKER", env!("CARGO_BIN_EXE_escalator")) };
    let raw = serde_json::json!({"items": [{"id": 1}, {"id": 2}]});
    bencher.bench_local(|| {
        let run =
            escalator::runtime::script::run_isolated(SCRIPT, "Orders", &raw, &Default::default());
        assert!(run.error.is_none(), "{:?}", run.error);
        run
    });
}

fn main() {
    divan::main();
}
