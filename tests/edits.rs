//! Every change to a bot is one `Edit`, applied through `BotDocument::apply`: it returns the
//! edit that undoes it exactly (the file saves as it was read) and the subjects it touched,
//! which the editor checks again instead of the whole bot.

use std::path::PathBuf;

use escalator::bot::BotDocument;
use escalator::bot::edit::{Applied, Edit, Made, Touched};
use escalator::bot::integration::{CustomDataField, Escalation, Field};
use escalator::rules::{BotFacts, Report};
use escalator::tui::model::Model;
use escalator::workspace::sidecar::Sidecar;

mod common;
use common::{checked_from_scratch, fixture};

fn escalation_bot() -> BotDocument {
    BotDocument::load(&fixture("escalation-bot.json")).expect("the fixture loads")
}

fn generated(n: usize) -> BotDocument {
    BotDocument::from_bytes(escalator::bot::generate::bot(n, 5).as_bytes()).expect("it loads")
}

/// One of each kind of edit, for the bot of `escalation-bot.json`.
fn one_of_each() -> Vec<Edit> {
    let escalation = Escalation {
        skill_name: "Billing".into(),
        skill_id: "77".into(),
        message: "One moment.".into(),
        ..Escalation::default()
    };
    vec![
        Edit::Field {
            integration: 1,
            field: Field::Name,
            value: "HandOver".into(),
        },
        Edit::Field {
            integration: 1,
            field: Field::Message,
            value: "Right away.".into(),
        },
        Edit::Field {
            integration: 0,
            field: Field::IntegrationType,
            value: "LIVEPERSON_AGENT_ESCALATION".into(),
        },
        Edit::CustomData {
            integration: 0,
            rows: vec![CustomDataField {
                key: "order".into(),
                value: "{$.api_GetOrders.id}".into(),
            }],
        },
        Edit::CustomDataRow {
            integration: 1,
            key: "team".into(),
            value: "blue".into(),
        },
        Edit::AddEscalation {
            name: "AgentEscalation".into(),
        },
        Edit::Duplicate { integration: 0 },
        Edit::Delete { integration: 0 },
        Edit::ToTransfer { interaction: 3 },
        Edit::AddTransfer {
            dialog_id: "a1000000-0000-4000-8000-00000000000c".into(),
            after: None,
            escalation,
        },
        Edit::Delays(vec![(3, 4000), (1, 2000)]),
        Edit::Restore(serde_json::json!({"bot": {"id": "b"}, "responder": []})),
    ]
}

#[test]
fn every_edit_is_undone_to_the_bytes_read_and_redone_to_the_bytes_made() {
    for edit in one_of_each() {
        let mut doc = escalation_bot();
        let read = doc.to_text();
        let what = format!("{edit:?}");
        let Applied { undo, .. } = doc.apply(edit).expect(&what);
        let made = doc.to_text();
        assert_ne!(made, read, "{what} changed nothing");
        let Applied { undo: redo, .. } = doc.apply(undo).expect("the undo applies");
        assert_eq!(doc.to_text(), read, "undoing {what}");
        doc.apply(redo).expect("the redo applies");
        assert_eq!(doc.to_text(), made, "redoing {what}");
    }
}

#[test]
fn edits_undone_in_reverse_order_give_back_the_file_as_read() {
    let mut doc = escalation_bot();
    let read = doc.to_text();
    let mut undos = Vec::new();
    for edit in one_of_each().into_iter().take(10) {
        // Places move as integrations come and go: an edit that no longer fits is refused.
        if let Ok(applied) = doc.apply(edit) {
            undos.push(applied.undo);
        }
    }
    assert!(undos.len() >= 8, "most edits applied: {}", undos.len());
    for undo in undos.into_iter().rev() {
        doc.apply(undo).expect("each undo applies");
    }
    assert_eq!(doc.to_text(), read);
}

#[test]
fn a_refused_edit_changes_nothing() {
    let mut doc = escalation_bot();
    let read = doc.to_text();
    let refused = [
        Edit::Field {
            integration: 1,
            field: Field::TransferBotContext,
            value: "maybe".into(),
        },
        Edit::Field {
            integration: 9,
            field: Field::Name,
            value: "X".into(),
        },
        Edit::ToIntegration { interaction: 3 },
        Edit::Delete { integration: 7 },
        Edit::AddTransfer {
            dialog_id: "no-such-dialog".into(),
            after: None,
            escalation: Escalation::default(),
        },
    ];
    for edit in refused {
        let what = format!("{edit:?}");
        assert!(doc.apply(edit).is_err(), "{what} is refused");
        assert_eq!(doc.to_text(), read, "{what} changed nothing");
    }
}

#[test]
fn an_edit_says_which_subjects_it_touched() {
    let mut doc = escalation_bot();
    let touched = |doc: &mut BotDocument, edit| doc.apply(edit).expect("applies").touched;
    let message = touched(
        &mut doc,
        Edit::Field {
            integration: 1,
            field: Field::Message,
            value: "Soon.".into(),
        },
    );
    assert_eq!(
        message.integrations.iter().copied().collect::<Vec<_>>(),
        [1]
    );
    assert!(message.interactions.is_empty() && !message.reshaped);
    // A rename follows into the Integration interaction that runs it by name.
    let rename = touched(
        &mut doc,
        Edit::Field {
            integration: 1,
            field: Field::Name,
            value: "HandOver".into(),
        },
    );
    assert_eq!(rename.integrations.iter().copied().collect::<Vec<_>>(), [1]);
    assert_eq!(rename.interactions.iter().copied().collect::<Vec<_>>(), [3]);
    let delays = touched(&mut doc, Edit::Delays(vec![(3, 4000)]));
    assert_eq!(delays.interactions.iter().copied().collect::<Vec<_>>(), [3]);
    assert!(delays.integrations.is_empty());
    assert!(touched(&mut doc, Edit::Delete { integration: 0 }).reshaped);
    let same = touched(
        &mut doc,
        Edit::Field {
            integration: 0,
            field: Field::Message,
            value: "Soon.".into(),
        },
    );
    assert_eq!(
        same,
        Touched::default(),
        "writing the value it has touches nothing"
    );
}

#[test]
fn what_an_edit_made_is_returned() {
    let mut doc = escalation_bot();
    let made = |doc: &mut BotDocument, edit| doc.apply(edit).expect("applies").made;
    assert_eq!(
        made(
            &mut doc,
            Edit::AddEscalation {
                name: "AgentEscalation".into()
            }
        ),
        Made::Integration(2)
    );
    assert_eq!(
        made(&mut doc, Edit::Duplicate { integration: 0 }),
        Made::Integration(1)
    );
    assert_eq!(
        made(&mut doc, Edit::ToTransfer { interaction: 3 }),
        Made::Interaction(3)
    );
    let mut plain = BotDocument::load(&fixture("storefront-bot.json")).expect("loads");
    match made(
        &mut plain,
        Edit::FailureDialog {
            message: "Sorry.".into(),
        },
    ) {
        Made::Dialog(added) => assert_eq!(added.message, "Sorry."),
        other => panic!("made {other:?}"),
    }
}

#[test]
fn checking_only_the_touched_subjects_leaves_what_checking_everything_does() {
    let mut model = Model::new(generated(24), Sidecar::default(), PathBuf::from("bot.json"));
    let field = |integration, field, value: &str| Edit::Field {
        integration,
        field,
        value: value.to_string(),
    };
    // Integration3 runs by id from escalate_3; 0, 3, 6... are escalations.
    let edits = [
        // Names that collide, ignoring case, and part again.
        field(1, Field::Name, "integration2"),
        field(2, Field::Name, "Integration2x"),
        field(1, Field::Name, "Integration1"),
        // A name that breaks the pattern every other name shares, then keeps it again.
        field(4, Field::Name, "integration_four"),
        field(4, Field::Name, "Integration4"),
        // A variable another integration's custom data reads.
        field(5, Field::ResponseDataVariable, "Integration7"),
        field(5, Field::ResponseDataVariable, "Renamed5"),
        // The escalation an Integration interaction runs, renamed: its reference follows.
        field(3, Field::Name, "Handover3"),
        // Types: an escalation no more, and one again.
        field(0, Field::IntegrationType, "API"),
        field(2, Field::IntegrationType, "LIVEPERSON_AGENT_ESCALATION"),
        field(6, Field::SkillId, "abc"),
        Edit::CustomDataRow {
            integration: 7,
            key: "first".into(),
            value: "{$.api_Renamed5.x}".into(),
        },
        // The integration whose result 7 reads is renamed: 7's warning names it.
        field(5, Field::Name, "Renamed5Name"),
        Edit::Delays(vec![]),
    ];
    for edit in edits {
        let what = format!("{edit:?}");
        // The rules follow the edit by themselves, without checking everything ...
        let mut doc = model.doc.clone();
        let mut integrations = doc.integrations();
        let mut transfers = doc.agent_transfers();
        let mut facts = BotFacts::read(&doc, &model.sidecar, &integrations);
        let mut report = Report::check(&facts, &integrations, &transfers);
        let touched = doc.apply(edit.clone()).expect(&what).touched;
        assert!(
            escalator::rules::recheck(
                &doc,
                &touched,
                &mut integrations,
                &mut transfers,
                &mut facts,
                &mut report
            )
            .is_some(),
            "{what} is followed, not checked from scratch"
        );
        assert_eq!(integrations, doc.integrations(), "after {what}");
        assert_eq!(
            report,
            Report::check(
                &BotFacts::read(&doc, &model.sidecar, &integrations),
                &integrations,
                &transfers
            ),
            "after {what}"
        );
        // ... and so does the editor.
        model.apply(edit).expect(&what);
        assert_eq!(model.report, checked_from_scratch(&model), "after {what}");
        assert_eq!(model.integrations, model.doc.integrations(), "after {what}");
    }
    // The delays of the interactions that run escalations.
    let changes = escalator::runtime::delay::recommended_delays(&model.doc, 9, 2000);
    assert!(!changes.is_empty(), "escalate_9 waits 0 ms");
    let touched = model
        .apply(escalator::runtime::delay::delays_edit(&changes))
        .expect("delays are written")
        .touched;
    assert!(!touched.reshaped && !touched.interactions.is_empty());
    assert_eq!(
        model.report,
        checked_from_scratch(&model),
        "after the delays"
    );
}

#[test]
fn an_interaction_runs_the_last_of_integrations_that_share_an_id_for_both_checks() {
    let mut root: serde_json::Value =
        serde_json::from_str(&escalator::bot::generate::bot(6, 5)).expect("JSON");
    // Integration1 gets Integration0's id: escalate_0 runs that id under the name Integration0.
    let id = root["responder"][0]["id"].clone();
    root["responder"][1]["id"] = id;
    let text = serde_json::to_string_pretty(&root).expect("text");
    let doc = BotDocument::from_bytes(text.as_bytes()).expect("it loads");
    let mut model = Model::new(doc, Sidecar::default(), PathBuf::from("bot.json"));
    let before = model.report.bot.clone();
    let at = model
        .doc
        .interactions()
        .iter()
        .find(|i| i.name == "escalate_0")
        .map(|i| i.index)
        .expect("escalate_0");
    model
        .apply(Edit::Delays(vec![(at, 6000)]))
        .expect("a delay is written");
    assert_eq!(model.report, checked_from_scratch(&model));
    assert_eq!(model.report.bot, before, "a delay changes no reference");
    // A delay below the recommended one: every integration with the id gets the warning.
    model
        .apply(Edit::Delays(vec![(at, 0)]))
        .expect("a delay is written");
    assert_eq!(model.report, checked_from_scratch(&model));
}

#[test]
fn a_field_edit_that_adds_a_member_is_undone_by_taking_it_out_again() {
    // The generated escalations have no Agent Id member: writing one adds it at the end.
    let mut doc = generated(3);
    let read = doc.to_text();
    for (field, value) in [
        (Field::AgentId, "42"),
        (Field::Message, "Soon."),
        (Field::IntegrationType, "API"),
        (Field::TransferBotContext, "true"),
    ] {
        let undo = doc
            .apply(Edit::Field {
                integration: 0,
                field,
                value: value.into(),
            })
            .expect("applies")
            .undo;
        let made = doc.to_text();
        assert_ne!(made, read, "{field:?} changed something");
        let redo = doc.apply(undo).expect("undoes").undo;
        assert_eq!(doc.to_text(), read, "undoing {field:?}");
        doc.apply(redo).expect("redoes");
        assert_eq!(doc.to_text(), made, "redoing {field:?}");
        doc = generated(3);
    }
}

#[test]
fn a_result_path_followed_by_a_letter_past_ascii_is_read_as_the_rules_read_it() {
    let mut model = Model::new(generated(9), Sidecar::default(), PathBuf::from("bot.json"));
    let edits = [
        Edit::CustomDataRow {
            integration: 7,
            key: "first".into(),
            value: "{$.api_Integration5é.id}".into(),
        },
        Edit::Field {
            integration: 5,
            field: Field::Name,
            value: "Integration5X".into(),
        },
        Edit::Field {
            integration: 5,
            field: Field::ResponseDataVariable,
            value: "Integration5X".into(),
        },
    ];
    for edit in edits {
        let what = format!("{edit:?}");
        model.apply(edit).expect(&what);
        assert_eq!(model.report, checked_from_scratch(&model), "after {what}");
    }
}
