//! The transfer against the account's skills and users, when the bot's account is kept.
//! Spec: "Agent Skill Name: Enter the name of the skill to which to transfer the
//! conversation"; "Agent Skill ID: ... since the skill ID is a number"; "Agent ID: ... the
//! transfer will go to the agent only if the agent is assigned to the skill ID that you
//! specify and is available; otherwise, transfer to the skill ID occurs instead."
//!
//! Hints, not errors: the lists are as old as their last pull, and every hint says how old.

use super::ids::is_number;
use super::{BotFacts, Diagnostic, Severity};
use crate::bot::integration::{Escalation, Field};
use crate::workspace::account::{self, USER_TYPE_BOT, User};

/// Every hint the kept account gives of an escalation's skill, agent and bot context;
/// `named`: the subject has an Agent Skill Name field.
pub(super) fn account_rules(facts: &BotFacts, e: &Escalation, named: bool) -> Vec<Diagnostic> {
    let Some(account) = facts.sidecar.kept_account.as_deref() else {
        return Vec::new();
    };
    let of = format!(
        " (account {}'s lists of {})",
        account.id,
        account.age(account::now())
    );
    let hint = |field, message: String, fix: &str| {
        Diagnostic::new(field, Severity::Hint, format!("{message}{of}"), fix)
    };
    let mut out = Vec::new();
    let skill = e.skill_id.trim().parse::<u64>().ok();
    if let Some(id) = skill {
        match account.skill(id) {
            None => out.push(hint(
                Field::SkillId,
                format!("skill {id} is not in the account"),
                "pick one of the account's skills, or pull the account again if it is new",
            )),
            Some(s) if s.deleted => out.push(hint(
                Field::SkillId,
                format!("skill {id} (\"{}\") is deleted", s.name),
                "pick a skill the account still has",
            )),
            Some(s)
                if named && !e.skill_name.trim().is_empty() && !same(&s.name, &e.skill_name) =>
            {
                let other = account.skills_named(&e.skill_name).first().map(|o| o.id);
                let message = match other {
                    Some(other) => format!(
                        "\"{}\" is skill {other} in the account; skill {id} is \"{}\"",
                        e.skill_name.trim(),
                        s.name
                    ),
                    None => format!(
                        "skill {id} is \"{}\" in the account, not \"{}\"",
                        s.name,
                        e.skill_name.trim()
                    ),
                };
                out.push(hint(
                    Field::SkillName,
                    message,
                    "make the name and the id the same skill's (the skill picker fills both)",
                ));
            }
            Some(_) => {}
        }
    }
    let agent_id = e.agent_id.trim();
    if let Some((acct, _)) = agent_id.split_once('.')
        && is_number(acct)
        && acct != account.id
    {
        out.push(hint(
            Field::AgentId,
            format!(
                "Agent Id {agent_id} is of account {acct}, not of {}",
                account.id
            ),
            "use an agent of this bot's account",
        ));
    } else if let Some(bot) = agent_of(account, agent_id).filter(|u| is_bot(u)) {
        out.push(hint(
            Field::AgentId,
            format!("Agent Id {agent_id} is the bot {}: Agent Id is for a person", bot.describe()),
            "leave Agent Id empty and tick Transfer Bot Context for a transfer to a bot, or pick a person",
        ));
    } else if let Some(why) = account.agent_outcome(agent_id, &e.skill_id) {
        out.push(hint(
            Field::AgentId,
            format!("{why}: the transfer goes to the skill instead"),
            "pick an enabled agent on the skill (the agent picker lists them), or leave Agent Id empty",
        ));
    }
    if e.transfer_bot_context
        && let Some(id) = skill
        && !account
            .users
            .iter()
            .any(|u| is_bot(u) && u.active() && u.skill_ids.contains(&id))
    {
        out.push(hint(
            Field::TransferBotContext,
            format!("no bot of the account is on skill {id}: a bot-to-bot transfer finds no bot there"),
            "put the receiving bot's user on the skill, or untick Transfer Bot Context for a transfer to people",
        ));
    }
    out
}

/// The user an Agent Id names in this account (`<account>.<agent>` or `<agent>`).
fn agent_of<'a>(
    account: &'a crate::workspace::account::Account,
    agent_id: &str,
) -> Option<&'a User> {
    let agent = match agent_id.split_once('.') {
        Some((acct, agent)) if acct == account.id => agent,
        Some(_) => return None,
        None => agent_id,
    };
    account.user(agent)
}

fn is_bot(user: &User) -> bool {
    user.user_type == USER_TYPE_BOT
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
