//! Helpers shared by the integration tests: the built binary, fixtures, the real exports and
//! temporary copies of bots.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use escalator::bot::BotDocument;
use escalator::bot::dialogs::AddedDialog;
use escalator::bot::edit::{Edit, EditError, Made};
use escalator::bot::integration::{Escalation, Field};
use escalator::workspace::shipped::SAMPLE_BOT;

/// Runs the built binary with `args` (and `NO_COLOR=1`), returning its raw output.
pub fn escalator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_escalator"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Runs the built binary with `args`; returns its exit code, stdout and stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = escalator(args);
    (
        out.status.code().expect("exited, not killed"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// A path as `&str`, for use as a command-line argument.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The folder of the test fixtures, `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The path of the fixture `name` in `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// The folder of the real exports: `ESCALATOR_CORPUS`, else `../shared/realworld` beside the
/// checkout when it exists. `None` when neither is there (a fresh clone: the real-export checks
/// are skipped, and the project's own real-shaped fixtures still test every feature); with
/// `ESCALATOR_REQUIRE_CORPUS=1` (CI) a missing or empty folder fails the test instead.
pub fn corpus_dir() -> Option<PathBuf> {
    let named = std::env::var_os("ESCALATOR_CORPUS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let dir = named
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"));
    let has_json = std::fs::read_dir(&dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "json"))
    });
    if has_json {
        return Some(dir);
    }
    let required = std::env::var_os("ESCALATOR_REQUIRE_CORPUS").is_some_and(|v| v == "1");
    assert!(
        named.is_none(),
        "ESCALATOR_CORPUS={} is missing or holds no *.json: name the folder of the real \
         exports, or unset it to skip the real-export checks",
        dir.display()
    );
    assert!(
        !required,
        "ESCALATOR_REQUIRE_CORPUS=1 and {} is missing or holds no *.json: put the real \
         exports there or name their folder in ESCALATOR_CORPUS",
        dir.display()
    );
    None
}

/// The one line a run without the real exports prints, written past the test harness's
/// capture so that `cargo test` shows it.
pub const CORPUS_SKIPPED: &str = "note: real-export checks skipped: put the Conversation Builder \
exports in ../shared/realworld beside the checkout, or name their folder in ESCALATOR_CORPUS";

/// The path of the real export `name`, when the real exports are there.
pub fn realworld(name: &str) -> Option<PathBuf> {
    corpus_dir().map(|dir| dir.join(name))
}

/// The real exports, sorted; empty when they are not there (see [`corpus_dir`]).
pub fn realworld_files() -> Vec<PathBuf> {
    let Some(dir) = corpus_dir() else {
        return vec![];
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The project's own fixtures shaped like real exports (same members, lists, formatting and
/// kinds of interactions), which every feature is tested on when the real exports are absent.
pub const EXPORT_SHAPED_FIXTURES: &[&str] = &["storefront-bot.json"];

/// Every bot shaped like a real export: the project's own fixtures, then the real exports
/// when they are there.
pub fn export_shaped_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = EXPORT_SHAPED_FIXTURES.iter().map(|n| fixture(n)).collect();
    files.extend(realworld_files());
    files
}

/// A bot with an API integration run by an Integration interaction in a dialog that ends with
/// a carousel, another dialog, and a Fallback dialog: the names each role has in that file.
pub struct ShopBot {
    pub path: PathBuf,
    /// The API integration.
    pub api: &'static str,
    /// The dialog that runs it.
    pub dialog: &'static str,
    /// The dialog's starter.
    pub starter: &'static str,
    /// The Integration interaction that runs the API integration.
    pub api_interaction: &'static str,
    /// The dialog's last interaction, a carousel that waits for the user.
    pub carousel: &'static str,
    /// An interaction of another dialog.
    pub elsewhere: &'static str,
    /// The Fallback dialog.
    pub fallback: &'static str,
}

/// The project's shop-shaped fixture, then the real export of that shape when it is there.
pub fn shop_bots() -> Vec<ShopBot> {
    let mut bots = vec![ShopBot {
        path: fixture("storefront-bot.json"),
        api: "listOrders",
        dialog: "1 Orders",
        starter: "orders_starter",
        api_interaction: "list_orders",
        carousel: "orders_carousel",
        elsewhere: "pick_store",
        fallback: "0 Fallback",
    }];
    if let Some(path) = realworld("shopify-bot.json") {
        bots.push(ShopBot {
            path,
            api: "getProducts",
            dialog: "1 Shopping",
            starter: "shop_starter",
            api_interaction: "get_products",
            carousel: "products_carousel",
            elsewhere: "view_cart",
            fallback: "0 Fallback",
        });
    }
    bots
}

/// Writes `contents` to `name` in a fresh temporary folder (which lives as long as the guard).
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// A writable copy of `source`, under its own file name, in a fresh temporary folder.
pub fn copy_to_temp(source: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(source.file_name().unwrap());
    std::fs::write(&path, std::fs::read(source).unwrap()).unwrap();
    (dir, path)
}

/// A temporary copy of the sample bot, as `bot.json`.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    temp_file("bot.json", SAMPLE_BOT)
}

/// Asserts every line of `original` is in `saved`, in order (trailing commas aside), but `except`.
pub fn assert_lines_kept(what: &str, original: &str, saved: &str, except: &[&str]) {
    let trim = |l: &str| l.trim_end().trim_end_matches(',').to_string();
    let mut saved_lines = saved.lines().map(trim);
    for (n, line) in original.lines().map(trim).enumerate() {
        if except.contains(&line.trim()) {
            continue;
        }
        assert!(
            saved_lines.any(|s| s == line),
            "{what}: original line {} ({line:?}) is missing or out of order after the save",
            n + 1
        );
    }
}

/// The edits the tests make, each as an [`Edit`] applied through [`BotDocument::apply`] (the
/// one way to change a bot), returning what the edit made.
pub trait Edits {
    fn edit(&mut self, edit: Edit) -> Result<Made, EditError>;

    fn set_field(
        &mut self,
        integration: usize,
        field: Field,
        value: &str,
    ) -> Result<(), EditError> {
        self.edit(Edit::Field {
            integration,
            field,
            value: value.to_string(),
        })
        .map(drop)
    }

    fn set_custom_data_key(
        &mut self,
        integration: usize,
        key: &str,
        value: &str,
    ) -> Result<(), EditError> {
        self.edit(Edit::CustomDataRow {
            integration,
            key: key.to_string(),
            value: value.to_string(),
        })
        .map(drop)
    }

    fn add_escalation(&mut self, name: &str) -> usize {
        match self.edit(Edit::AddEscalation {
            name: name.to_string(),
        }) {
            Ok(Made::Integration(index)) => index,
            other => panic!("adding an escalation made {other:?}"),
        }
    }

    fn delete_integration(&mut self, integration: usize) -> Result<(), EditError> {
        self.edit(Edit::Delete { integration }).map(drop)
    }

    fn set_transfer_field(
        &mut self,
        interaction: usize,
        field: Field,
        value: &str,
    ) -> Result<(), EditError> {
        self.edit(Edit::TransferField {
            interaction,
            field,
            value: value.to_string(),
        })
        .map(drop)
    }

    fn convert_to_transfer(&mut self, interaction: usize) -> Result<usize, EditError> {
        self.edit(Edit::ToTransfer { interaction })
            .map(|made| match made {
                Made::Interaction(at) => at,
                other => panic!("converting made {other:?}"),
            })
    }

    fn convert_to_integration(&mut self, interaction: usize) -> Result<(usize, usize), EditError> {
        self.edit(Edit::ToIntegration { interaction })
            .map(|made| match made {
                Made::IntegrationRunBy {
                    integration,
                    interaction,
                } => (integration, interaction),
                other => panic!("converting made {other:?}"),
            })
    }

    fn add_transfer(
        &mut self,
        dialog_id: &str,
        after: Option<&str>,
        escalation: &Escalation,
    ) -> Result<usize, EditError> {
        self.edit(Edit::AddTransfer {
            dialog_id: dialog_id.to_string(),
            after: after.map(str::to_string),
            escalation: escalation.clone(),
        })
        .map(|made| match made {
            Made::Interaction(at) => at,
            other => panic!("adding a transfer made {other:?}"),
        })
    }

    fn add_failure_dialog(&mut self, message: &str) -> Result<AddedDialog, EditError> {
        self.edit(Edit::FailureDialog {
            message: message.to_string(),
        })
        .map(|made| match made {
            Made::Dialog(added) => *added,
            other => panic!("adding a dialog made {other:?}"),
        })
    }

    fn replace_root(&mut self, root: serde_json::Value) {
        self.edit(Edit::Restore(root))
            .expect("a tree is put in place");
    }
}

impl Edits for BotDocument {
    fn edit(&mut self, edit: Edit) -> Result<Made, EditError> {
        self.apply(edit).map(|applied| applied.made)
    }
}

/// Applies the recommended delay to the integration at `index`, as `--apply-delay` does:
/// each interaction changed, with its delay before and after.
pub fn apply_recommended_delay(
    doc: &mut BotDocument,
    index: usize,
    per_message_ms: u64,
) -> Vec<(String, Option<u64>, u64)> {
    let changes = escalator::runtime::delay::recommended_delays(doc, index, per_message_ms);
    if !changes.is_empty() {
        doc.apply(escalator::runtime::delay::delays_edit(&changes))
            .expect("delays are written");
    }
    changes
        .into_iter()
        .map(|c| (c.name, c.before, c.after))
        .collect()
}

/// The diagnostics of the editor's document as it is, checked from scratch: what the rules
/// kept while following edits must equal this.
pub fn checked_from_scratch(model: &escalator::tui::model::Model) -> escalator::rules::Report {
    let integrations = model.doc.integrations();
    let transfers = model.doc.agent_transfers();
    let facts = escalator::rules::BotFacts::read(&model.doc, &model.sidecar, &integrations);
    escalator::rules::Report::check(&facts, &integrations, &transfers)
}

/// A bot of one LivePerson Agent Escalation integration named `name`, whose Agent Skill Id
/// ("abc") is an error.
pub fn bot_with_bad_skill_id(name: &str) -> serde_json::Value {
    serde_json::json!({
        "bot": {"id": "b1", "name": "Broken"},
        "responder": [{
            "id": "r1",
            "name": name,
            "responseDataVariable": "Esc",
            "integrationType": "LIVEPERSON_AGENT_ESCALATION",
            "agentSkillName": "Sales",
            "agentSkillId": "abc",
            "transferMessage": "Hold on",
            "customDataFields": []
        }],
        "conversationMessage": [],
        "groups": []
    })
}
