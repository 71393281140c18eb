//! `escalator simulate`: what an escalation will do at runtime, as a timeline, in a scenario.

use std::path::PathBuf;

use super::open::{find_escalation, find_transfer, open, parse_context};
use super::output::{json_text, print_json};
use super::{EXIT_OK, Failure, Format, bad_input};
use crate::runtime::simulate;

/// The arguments of `escalator simulate`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["integration", "interaction"]))]
pub struct SimulateArgs {
    pub file: PathBuf,
    /// The LivePerson Agent Escalation integration to run.
    #[arg(long)]
    pub integration: Option<String>,
    /// Or the Agent Transfer interaction to run.
    #[arg(long)]
    pub interaction: Option<String>,
    /// The chat server drops the request (no response for over 3 minutes).
    #[arg(long)]
    pub drop: bool,
    /// The agent named by Agent Id is not on the skill or not available.
    #[arg(long)]
    pub agent_unavailable: bool,
    /// How many transfer attempts fail (4 or more ends the escalation).
    #[arg(long, default_value_t = 0)]
    pub failures: u32,
    /// Whether a dialog catches __agent_escalation_failed__ (default: as the bot has it).
    #[arg(long, value_parser = ["yes", "no"])]
    pub failure_dialog: Option<String>,
    /// The agent connector's fallback skill id (default: escalator's settings file).
    #[arg(long)]
    pub fallback_skill_id: Option<String>,
    /// A sample value for a variable, e.g. skillId=12 (repeatable).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Prints the timeline of the integration or the Agent Transfer interaction named.
pub(super) fn run(req: SimulateArgs) -> Result<i32, Failure> {
    let file = req.file.as_path();
    let (doc, sidecar) = open(file)?;
    let mut samples = sidecar.context.clone();
    samples.extend(parse_context(&req.context)?);
    let mut setup = match (req.integration, req.interaction) {
        (Some(name), _) => {
            let found = find_escalation(&doc, file, &name)?;
            simulate::Setup::for_integration(&doc, &found, &sidecar, &samples)
        }
        (None, Some(name)) => {
            let transfer = find_transfer(&doc, file, &name)?;
            simulate::Setup::from_bot(&doc, Default::default(), &samples).for_escalation(
                transfer.escalation.clone(),
                transfer.delay_ms.unwrap_or(0),
                &sidecar,
            )
        }
        (None, None) => return Err(bad_input("name --integration or --interaction")),
    };
    if let Some(id) = req.fallback_skill_id {
        setup.fallback_skill_id = Some(id);
    }
    let scenario = simulate::Scenario {
        dropped: req.drop,
        agent_unavailable: req.agent_unavailable,
        failures: req.failures,
        failure_dialog: req.failure_dialog.map(|a| a == "yes"),
    };
    let timeline = simulate::simulate(&setup, &scenario);
    match req.format {
        Format::Text => {
            for line in timeline.lines() {
                println!("{line}");
            }
            println!("outcome: {}", outcome_text(&timeline.outcome));
        }
        Format::Json => print_json(&json_text(&timeline)),
    }
    Ok(EXIT_OK)
}

/// How a simulation ended, in words.
fn outcome_text(outcome: &simulate::Outcome) -> String {
    match outcome {
        simulate::Outcome::Transferred { to } => format!("transferred to {to}"),
        simulate::Outcome::NotNumeric => "no transfer: the skill id is not numeric".into(),
        simulate::Outcome::Stopped { message } => {
            format!("escalation stopped; the consumer got \"{message}\"")
        }
        simulate::Outcome::Failed => "the transfer failed; the bot answered the failure".into(),
    }
}
