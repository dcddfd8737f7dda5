//! `tandem`: Tandem without a window.
//!
//! Every command calls the same `tandem_api` use cases as the desktop app. Commands whose
//! answer depends on the time take `--now` (default: the clock), so scripts and tests get the
//! same answer every run. Exit codes: 0 success, 1 failure, 2 partial success (some input
//! skipped; the rest was processed), as for `tandem import`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use tandem_api::briefing::{BriefingFormat, Edition};
use tandem_api::dto::{AgendaItem, MailActionKind};
use tandem_api::{dates, expand, ApiError, Tandem};

#[derive(Parser)]
#[command(name = "tandem", version, about = "Calendar and inbox command centre for executive partners")]
struct Cli {
    /// Data directory holding the store (default: $TANDEM_DATA_DIR, else the OS data directory).
    #[arg(long, global = true, env = "TANDEM_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The executive to act for (default: the only or first executive).
    #[arg(long, global = true, value_name = "ID")]
    executive: Option<String>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The current instant, RFC 3339 (default: the clock).
    #[arg(long, global = true, env = "TANDEM_NOW", value_name = "INSTANT")]
    now: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// (Re)create the demo executives for the week of --now.
    Demo,
    /// Clashes kept by CalDAV sync (a change made here and one on the server to the same
    /// properties): list them, or keep one side.
    Clashes {
        #[command(subcommand)]
        action: Option<ClashCommand>,
    },
    /// Sync the executive's CalDAV calendars now: only what changed on each server is fetched.
    /// Exit code 2 when a calendar could not be synced (what it had stays).
    Sync,
    /// Expand iCalendar files over [--from, --to): one JSON object a line, sorted by start.
    /// Needs no store. Exit 0: all read; 2: some components skipped; 1: a file failed.
    Expand {
        /// A date (midnight in --tz) or an RFC 3339 instant.
        #[arg(long)]
        from: String,
        /// A date (midnight in --tz) or an RFC 3339 instant; not included.
        #[arg(long)]
        to: String,
        /// Zone for dates, floating times and all-day events (IANA name).
        #[arg(long, default_value = "UTC")]
        tz: String,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The merged calendars for a day (or several).
    Agenda {
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone).
        #[arg(long, default_value = "today")]
        date: String,
        /// How many days from --date.
        #[arg(long, default_value_t = 1)]
        days: u32,
    },
    /// The executive's briefing of a day: plain text, one self-contained HTML file, or a PDF.
    /// Written to standard output it is a preview; written with --out or queued with --email it
    /// counts as delivered, and the next briefing lists what changed since.
    Briefing {
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone); the default is
        /// today, or tomorrow with --evening.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "text", value_parser = ["text", "html", "pdf"])]
        format: String,
        /// The evening edition: read the night before, with what is left of this evening.
        #[arg(long)]
        evening: bool,
        /// Write to FILE instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Queue it as a mail to the executive instead (text, HTML and the PDF attached).
        #[arg(long, conflicts_with = "out")]
        email: bool,
    },
    /// The EP's prep note on a meeting, shown under it in the briefing: show it, set it, or
    /// clear it. Notes stay in Tandem; they are not sent to the other attendees.
    Prep {
        /// The meeting's UID (`tandem agenda --json` lists them).
        uid: String,
        /// The note; without it (and without --clear) the note in force is printed.
        note: Option<String>,
        /// One instance of a series (its recurrence_id from the agenda); else the whole meeting.
        #[arg(long)]
        instance: Option<String>,
        #[arg(long, conflicts_with = "note")]
        clear: bool,
    },
    /// Busy and free time over a day (or several), the executive's answers respected.
    Freebusy {
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone).
        #[arg(long, default_value = "today")]
        date: String,
        /// How many days from --date.
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// The shortest free stretch worth listing, in minutes.
        #[arg(long, default_value_t = 30)]
        min: u32,
    },
    /// What is wrong with the calendar over a day (or several): overlaps, travel, working hours,
    /// focus time, buffers, lunch, no-meeting days, the daily cap; most severe first.
    Conflicts {
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone).
        #[arg(long, default_value = "today")]
        date: String,
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
    /// Proposals that resolve the calendar's clashes: who moves where and why, with
    /// alternatives. With --instance, solves a self-contained scheduling instance (JSON, see the
    /// README) and prints the plan and its objective; that needs no store.
    Schedule {
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone).
        #[arg(long, default_value = "today")]
        date: String,
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// A scheduling instance file; its `now` is replaced by --now when that is given.
        #[arg(long, value_name = "FILE.json", conflicts_with_all = ["date", "days"])]
        instance: Option<PathBuf>,
        #[command(subcommand)]
        command: Option<ScheduleCommand>,
        /// The search budget in steps (options tried): the same budget gives the same plan.
        #[arg(long)]
        steps: Option<u64>,
    },
    /// The best times for a new meeting with these attendees, ranked, with reasons (another
    /// executive here is checked against their calendar; anyone else counts as free).
    FindTime {
        #[arg(long)]
        minutes: u32,
        /// A required attendee (repeat for more).
        #[arg(long)]
        attendee: Vec<String>,
        /// An optional attendee (repeat for more).
        #[arg(long)]
        optional: Vec<String>,
        /// YYYY-MM-DD, today, tomorrow or yesterday (in the executive's zone).
        #[arg(long, default_value = "today")]
        date: String,
        #[arg(long, default_value_t = 5)]
        days: u32,
        /// How many slots to offer.
        #[arg(long, default_value_t = 5)]
        count: usize,
    },
    /// Approved scheduler proposals, newest first; `undo ID` takes one back.
    Approvals {
        #[command(subcommand)]
        command: Option<ApprovalCommand>,
    },
    /// Import iCalendar files into the executive's calendars (an invitation file is applied to
    /// the meetings it is about) and mail (a Maildir, an mbox, an .eml or a folder of them);
    /// the rules then run over the invitations.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Subscribe to a published calendar (webcal:// or https://); it is fetched at once.
    Subscribe {
        url: String,
        /// The calendar's name; else the feed's own name, else its host.
        #[arg(long)]
        name: Option<String>,
    },
    /// Fetch the subscribed calendars that are due (all of the executive's with --all).
    /// Exit 0: all fetched; 2: some feeds failed (their cached events stay).
    Refresh {
        #[arg(long)]
        all: bool,
    },
    /// The executive's calendars, with each subscription's last fetch.
    Calendars,
    /// Reminders going off in the next --hours; with --due, every executive's reminders due
    /// now that were not delivered yet (each is then marked delivered).
    Reminders {
        #[arg(long, default_value_t = 24)]
        hours: u32,
        #[arg(long)]
        due: bool,
    },
    /// List the executives in the store.
    Executives,
    /// The executive's inbox in working order: needs the executive first, noise last, VIPs
    /// first within a lane; archived and snoozed mail left out.
    Inbox {
        /// One lane: needs_executive, ep_handles, waiting_on_others, fyi, noise, untriaged.
        #[arg(long)]
        lane: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Give every message not triaged yet a lane, with the reason (--again: all of them anew;
    /// the EP's own moves stay).
    Triage {
        #[arg(long)]
        again: bool,
    },
    /// Search the mail: words, "phrases", from:, to:, lane:, before:, after:, is:flagged,
    /// is:unread, has:invitation, has:attachment.
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// For the mail benchmark: run the search N times in this process and print how many
        /// it found and the best and median times, without the process's start-up.
        #[arg(long, hide = true)]
        repeat: Option<u32>,
    },
    /// The executive's mail: import it, triage it, act on it.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Accounts: IMAP to read the executive's mail, SMTP to send it, CalDAV for calendars.
    /// Passwords go into the OS keychain, never into Tandem's store.
    #[command(subcommand)]
    Account(AccountCommand),
    /// The invitations queue: held for review, decided by the rules, answered by the EP.
    Invitations {
        #[command(subcommand)]
        command: Option<InvitationCommand>,
    },
    /// The executive's invitation rules (a TOML document).
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The audit log of decisions, newest first; `decisions undo ID` takes one back.
    Decisions {
        #[command(subcommand)]
        command: Option<DecisionCommand>,
        /// Only this action: accept, tentative, decline, counter, hold, delegate.
        #[arg(long)]
        action: Option<String>,
        /// Only decisions by this rule (its name), or `person`, or `no rule`.
        #[arg(long)]
        rule: Option<String>,
        /// Only decisions whose title or reason contains this.
        #[arg(long)]
        search: Option<String>,
        /// Only decisions since this day (YYYY-MM-DD) or instant.
        #[arg(long)]
        since: Option<String>,
    },
    /// Meetings the executive organises: create, change, cancel; the attendees are sent
    /// iTIP REQUESTs and CANCELs through the outbox.
    #[command(subcommand)]
    Event(EventCommand),
    /// Everything waiting to leave (replies, invitations), newest first.
    Outbox {
        #[command(subcommand)]
        command: Option<OutboxCommand>,
    },
    /// Show or replace an executive profile (a TOML document).
    #[command(subcommand)]
    Profile(ProfileCommand),
}

#[derive(Subcommand)]
enum InvitationCommand {
    /// Run the rules over invitations not yet decided (imports do this by themselves).
    Process,
    /// Answer an invitation by hand: accept, tentative, decline, counter or delegate.
    Answer {
        /// The invitation's id (from `tandem invitations`).
        id: i64,
        #[arg(value_parser = ["accept", "tentative", "decline", "counter", "delegate"])]
        action: String,
        /// A note sent with the reply.
        #[arg(long)]
        message: Option<String>,
        /// `delegate`: who attends instead.
        #[arg(long)]
        to: Option<String>,
        /// `counter`: the proposed start (RFC 3339); without it, the best free slot.
        #[arg(long)]
        start: Option<String>,
        /// `counter`: the proposed end (RFC 3339).
        #[arg(long)]
        end: Option<String>,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Print the rules document (a starting document with examples when none is saved).
    Show,
    /// Validate FILE and save it as the executive's rules; an invalid file changes nothing.
    Set { file: PathBuf },
    /// The decision the rules take for one invitation, and the reply that would be sent.
    /// With --profile it runs on files alone (no store): the rules, profile and calendars given.
    Check {
        /// Rules to use instead of the saved ones.
        #[arg(long, value_name = "RULES.toml")]
        rules: Option<PathBuf>,
        /// A profile to use instead of the executive's (and no store at all).
        #[arg(long, value_name = "PROFILE.toml")]
        profile: Option<PathBuf>,
        /// Calendars to check clashes against instead of the executive's (repeatable).
        #[arg(long = "calendar", value_name = "FILE.ics")]
        calendars: Vec<PathBuf>,
        #[arg(value_name = "INVITE.ics")]
        invite: PathBuf,
    },
    /// What the rules (or --rules) would have decided for the invitations of the last --days days.
    DryRun {
        #[arg(long, value_name = "RULES.toml")]
        rules: Option<PathBuf>,
        #[arg(long, default_value_t = 90)]
        days: u32,
    },
}

#[derive(Subcommand)]
enum EventCommand {
    /// A new meeting; times are YYYY-MM-DDTHH:MM on the executive's home clock, or RFC 3339.
    New {
        #[arg(long)]
        title: String,
        #[arg(long)]
        start: String,
        /// The end; or give --minutes.
        #[arg(long, conflicts_with = "minutes")]
        end: Option<String>,
        #[arg(long)]
        minutes: Option<i64>,
        /// A required attendee (repeatable).
        #[arg(long = "attendee", value_name = "ADDRESS")]
        attendees: Vec<String>,
        /// An optional attendee (repeatable).
        #[arg(long = "optional", value_name = "ADDRESS")]
        optional: Vec<String>,
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        calendar: Option<String>,
        /// A recurrence rule, e.g. FREQ=WEEKLY;BYDAY=MO.
        #[arg(long)]
        rrule: Option<String>,
    },
    /// Change a meeting the executive organises (SEQUENCE goes up; attendees get the update).
    Edit {
        uid: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        location: Option<String>,
        /// The full list of required attendees (repeatable); those left out are sent a CANCEL.
        #[arg(long = "attendee", value_name = "ADDRESS")]
        attendees: Vec<String>,
    },
    /// Cancel a meeting the executive organises, or one instance of a series (--instance).
    Cancel {
        uid: String,
        /// The instance's start (YYYY-MM-DDTHH:MM home clock, or RFC 3339).
        #[arg(long)]
        instance: Option<String>,
        #[arg(long)]
        message: Option<String>,
    },
    /// A meeting the executive organises: its attendees' answers and its messages.
    Show { uid: String },
}

#[derive(Subcommand)]
enum ScheduleCommand {
    /// Approve a proposal (p1, p2 … as listed) or one of its alternatives: the executive's
    /// meetings move and their attendees get the update; others' organisers get a
    /// counter-proposal. Undo with `tandem approvals undo ID` until something has left.
    Approve {
        proposal: String,
        /// The alternative (1, 2, 3 as listed) instead of the proposal itself.
        #[arg(long)]
        alternative: Option<usize>,
    },
}

#[derive(Subcommand)]
enum ApprovalCommand {
    /// Take an approval back: its messages are withdrawn and the meetings restored.
    Undo { id: i64 },
}

#[derive(Subcommand)]
enum DecisionCommand {
    /// Take a decision back while its reply has not left.
    Undo { id: i64 },
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// Print an item's message as it will be (or was) sent.
    Show { id: i64 },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Archive messages (by the ids `tandem inbox --json` prints).
    Archive {
        ids: Vec<i64>,
    },
    /// Back into the inbox.
    Unarchive {
        ids: Vec<i64>,
    },
    /// Flag for the executive's briefing.
    Flag {
        ids: Vec<i64>,
    },
    Unflag {
        ids: Vec<i64>,
    },
    Read {
        ids: Vec<i64>,
    },
    Unread {
        ids: Vec<i64>,
    },
    /// Out of the inbox until --until (YYYY-MM-DDTHH:MM on the executive's clock, or RFC 3339).
    Snooze {
        ids: Vec<i64>,
        #[arg(long)]
        until: String,
    },
    /// Remind the EP in --days if no one has replied in the thread.
    FollowUp {
        ids: Vec<i64>,
        #[arg(long)]
        days: u32,
    },
    /// Move into a lane; --rule makes it stick for the sender's later mail.
    Move {
        ids: Vec<i64>,
        #[arg(long)]
        lane: String,
        #[arg(long)]
        rule: bool,
    },
    /// Link the thread to a meeting (by UID): the briefing shows it as prep.
    Link {
        ids: Vec<i64>,
        #[arg(long)]
        uid: String,
    },
    /// Undo an action by the id it printed.
    Undo {
        action: i64,
    },
    /// Snoozed mail waking and follow-ups due with no reply, up to --now (each shown once).
    Due,
    /// The triage rules document.
    #[command(subcommand)]
    Rules(TriageRulesCommand),
    /// Reply to a message (--all: to everyone on it), from a template, as the executive with
    /// the EP as Sender. It waits a minute in the outbox (`tandem mail undo` takes it back).
    Reply {
        id: i64,
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        words: Words,
    },
    /// Forward a message to --to (repeat it).
    Forward {
        id: i64,
        #[arg(long, required = true)]
        to: Vec<String>,
        #[command(flatten)]
        words: Words,
    },
    /// Forward a message to someone to handle, with a note; it waits on them, and comes back
    /// to the EP after --days (default 3) if nobody has answered in the thread.
    Delegate {
        id: i64,
        #[arg(long, required = true)]
        to: String,
        #[arg(long)]
        days: Option<u32>,
        #[command(flatten)]
        words: Words,
    },
    /// The mail templates document.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Sync every IMAP account (new mail, flags both ways), triage what came in, and send what
    /// is due in the outbox. Exit 2 when an account failed (named on stderr).
    Sync,
    /// Import a Maildir (with its sub-folders), an mbox, an .eml, or a folder of .eml files.
    /// Exit 0: all read; 2: some messages could not be read (named on stderr); 1: a path failed.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// What a reply, forward or delegation says.
#[derive(clap::Args)]
struct Words {
    /// A template by name (`tandem mail templates show` lists them).
    #[arg(long)]
    template: Option<String>,
    /// The EP's words (the template's {note}, else the whole text above the quote).
    #[arg(long)]
    note: Option<String>,
    /// Print the mail instead of sending it.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Print the templates document (TOML) and the variables it may use.
    Show,
    /// Validate FILE and save it.
    Set { file: PathBuf },
}

#[derive(Subcommand)]
enum ClashCommand {
    /// Keep one side: `theirs` (the server's, already shown) or `mine` (written over theirs).
    Keep {
        id: i64,
        #[arg(value_parser = ["mine", "theirs"])]
        side: String,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Add an account after checking it with the server. The password comes from
    /// --password-stdin or $TANDEM_PASSWORD (never from the command line, which others can see).
    Add {
        #[arg(value_parser = ["imap", "smtp", "caldav"])]
        kind: String,
        /// The server's name (IMAP, SMTP), or for CalDAV its address (https://host/, or the
        /// address of one calendar): the calendars are found from it.
        host: String,
        #[arg(long)]
        user: String,
        /// Default: 993 (IMAP over TLS), 143 (IMAP STARTTLS), 587 (SMTP STARTTLS), 465 (SMTP TLS).
        #[arg(long)]
        port: Option<u16>,
        /// tls or starttls (default: tls for IMAP, starttls for SMTP). There is no clear-text mode.
        #[arg(long, value_parser = ["tls", "starttls"])]
        tls: Option<String>,
        /// A PEM certificate to trust besides the system's (a self-hosted server).
        #[arg(long)]
        ca_cert: Option<PathBuf>,
        /// IMAP folders to sync (repeat it; default: INBOX).
        #[arg(long = "folder")]
        folders: Vec<String>,
        /// CalDAV: the server calendars to mirror, by name (repeat it; default: all of them).
        #[arg(long = "calendar")]
        calendars: Vec<String>,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The executive's accounts.
    List,
    /// Remove an account and its password from the keychain (its mail stays; a CalDAV account's
    /// calendars go, refused while changes wait to reach its server).
    Remove { id: i64 },
    /// A CalDAV account's calendars on its server now, and which Tandem has; `--add NAME` adds
    /// one the server gained since (the next `tandem sync` fetches it); `--remove LOCAL-NAME`
    /// takes one out of Tandem (the server keeps it).
    Calendars {
        id: i64,
        #[arg(long = "add", value_name = "NAME")]
        add: Vec<String>,
        #[arg(long = "remove", value_name = "LOCAL-NAME")]
        remove: Vec<String>,
    },
}

#[derive(Subcommand)]
enum TriageRulesCommand {
    /// Print the triage rules (TOML).
    Show,
    /// Validate FILE, save it, and triage the inbox again by it.
    Set { file: PathBuf },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Print the executive's profile document.
    Show,
    /// Validate FILE and save it (a new id adds an executive).
    Set { file: PathBuf },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("TANDEM_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tandem: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn now(cli: &Cli) -> anyhow::Result<DateTime<Utc>> {
    match &cli.now {
        Some(s) => Ok(dates::parse_instant(s).context("--now")?),
        None => Ok(Utc::now()),
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Expand { from, to, tz, files } = &cli.command {
        return expand(from, to, tz, files);
    }
    let now = now(&cli)?;
    if let Command::Schedule { instance: Some(file), steps, .. } = &cli.command {
        let given = cli.now.is_some().then_some(now);
        let plan = tandem_api::schedule::solve_instance(&read(file)?, given, *steps).map_err(api)?;
        print_instance_plan(&plan, cli.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Rules(RulesCommand::Check { rules, profile: Some(profile), calendars, invite }) = &cli.command {
        let rules = match rules {
            Some(r) => read(r)?,
            None => String::new(),
        };
        let check = tandem_api::rules::check_invitation_files(
            &read(profile)?,
            &rules,
            &read_all(calendars)?,
            &read(invite)?,
            now,
        )
        .map_err(api)?;
        print_check(&check, cli.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut tandem = Tandem::open(cli.data_dir.clone()).map_err(api)?;
    let exec = cli.executive.as_deref();
    match &cli.command {
        Command::Expand { .. } => unreachable!("handled before the store is opened"),
        Command::Schedule { instance: Some(_), .. } => unreachable!("handled before the store is opened"),
        Command::Schedule {
            instance: None,
            date,
            days,
            command: Some(ScheduleCommand::Approve { proposal, alternative }),
            ..
        } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let plan = tandem.schedule(Some(&profile.id), day, *days, now).map_err(api)?;
            let Some(p) = plan.proposals.iter().find(|p| &p.id == proposal) else {
                anyhow::bail!("no proposal {proposal} for {} day(s) from {}: see `tandem schedule`", days, plan.from);
            };
            let moves = match alternative {
                None => &p.moves,
                Some(k) => match p.alternatives.get(k.wrapping_sub(1)) {
                    Some(a) => &a.moves,
                    None => anyhow::bail!("{proposal} has {} alternative(s)", p.alternatives.len()),
                },
            };
            let approval = tandem.approve_moves(Some(&profile.id), moves, now).map_err(api)?;
            if cli.json {
                print_json(&approval)?;
            } else {
                println!("approval {}: {} message(s) in the outbox", approval.id, approval.outbox.len());
                for line in &approval.summary {
                    println!("  {line}");
                }
            }
        }
        Command::Approvals { command: Some(ApprovalCommand::Undo { id }) } => {
            let a = tandem.undo_approval(exec, *id, now).map_err(api)?;
            if cli.json {
                print_json(&a)?;
            } else {
                println!("undone: approval {} ({} message(s) taken back, meetings restored)", a.id, a.outbox.len());
            }
        }
        Command::FindTime { minutes, attendee, optional, date, days, count } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let found = tandem
                .find_time(Some(&profile.id), attendee, optional, *minutes, day, *days, *count, now)
                .map_err(api)?;
            if cli.json {
                print_json(&found)?;
            } else {
                if found.slots.is_empty() {
                    println!("no free {minutes} minutes in {days} day(s) from {day}");
                }
                for s in &found.slots {
                    println!("{:>5}  {}", s.cost, s.reason);
                }
            }
        }
        Command::Approvals { command: None } => {
            let list = tandem.approvals(exec).map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for a in &list {
                    let state = if a.undone {
                        "undone"
                    } else if a.can_undo {
                        "can undo"
                    } else {
                        "sent"
                    };
                    println!("{:>4} {} {:<8} {}", a.id, a.created_at, state, a.summary.join(" | "));
                }
            }
        }
        Command::Schedule { instance: None, date, days, command: None, .. } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let plan = tandem.schedule(Some(&profile.id), day, *days, now).map_err(api)?;
            if cli.json {
                print_json(&plan)?;
            } else {
                if plan.proposals.is_empty() {
                    println!("{} — nothing to move in {} day(s) from {}", profile.name, days, plan.from);
                }
                for p in &plan.proposals {
                    println!("{}: resolves {}", p.id, p.resolves.join("; "));
                    for m in &p.moves {
                        println!("  {:<10} {}", m.action, m.reason);
                    }
                    for (k, a) in p.alternatives.iter().enumerate() {
                        println!("  or ({}, +{}):", k + 1, a.extra_cost);
                        for m in &a.moves {
                            println!("    {:<10} {}", m.action, m.reason);
                        }
                    }
                }
                for c in &plan.fixed_clashes {
                    println!("fixed: {c}");
                }
                println!(
                    "{} clash(es); objective {} ({}), was {}",
                    plan.clashes,
                    plan.objective,
                    if plan.optimal { "optimal" } else { "best found" },
                    plan.status_quo_objective
                );
            }
        }
        Command::Clashes { action: None } => {
            let clashes = tandem.clashes(exec).map_err(api)?;
            if cli.json {
                print_json(&clashes)?;
            } else if clashes.is_empty() {
                println!("no clashes: every change made here is on the servers, or waiting in the outbox");
            } else {
                for c in &clashes {
                    println!(
                        "{:>3}  '{}' here, '{}' on the server: {} ({})",
                        c.id,
                        c.ours,
                        c.theirs,
                        c.fields.join(", "),
                        c.summary
                    );
                }
                println!("`tandem clashes keep ID mine|theirs` settles one");
            }
        }
        Command::Clashes { action: Some(ClashCommand::Keep { id, side }) } => {
            tandem.resolve_clash(exec, *id, side, now).map_err(api)?;
            println!("clash {id}: kept {side}{}", if side == "mine" { "; `tandem sync` writes it" } else { "" });
        }
        Command::Sync => {
            // Asked for now: what waits out a back-off is tried at once.
            tandem.retry_now(exec, now).map_err(api)?;
            let shared = std::sync::Mutex::new(tandem);
            let report = runtime()?.block_on(tandem_api::caldav::sync_calendars(&shared, exec, now)).map_err(api)?;
            let failed = report.calendars.iter().any(|c| c.error.is_some());
            if cli.json {
                print_json(&report)?;
            } else if report.calendars.is_empty() {
                println!("no CalDAV calendars: `tandem account add caldav https://host/ --user U` adds them");
            } else {
                for c in &report.calendars {
                    match &c.error {
                        Some(e) => println!("{}: not synced: {e}", c.name),
                        None => println!(
                            "{}: {} fetched, {} removed, {} invitation(s), {} request(s)",
                            c.name, c.fetched, c.removed, c.invitations, c.requests
                        ),
                    }
                    for p in &c.problems {
                        eprintln!("tandem: {}: {p}", c.name);
                    }
                }
            }
            if failed {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Demo => {
            let r = tandem.load_demo(now).map_err(api)?;
            if cli.json {
                print_json(&r)?;
            } else {
                let names: Vec<&str> = r.executives.iter().map(|e| e.name.as_str()).collect();
                println!(
                    "Demo loaded into {}: {} ({} events, {} messages, {} invitations: {} decided by the rules)",
                    tandem.data_dir().display(),
                    names.join(", "),
                    r.events,
                    r.messages,
                    r.invitations,
                    r.decided
                );
            }
        }
        Command::Briefing { date, format, evening, out, email } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let (edition, default_day) =
                if *evening { (Edition::Evening, "tomorrow") } else { (Edition::Morning, "today") };
            let day =
                dates::parse_day(date.as_deref().unwrap_or(default_day), now, profile.home_time_zone).map_err(api)?;
            if *email {
                let item = tandem.email_briefing(Some(&profile.id), day, edition, now).map_err(api)?;
                println!("{} (outbox item {}, leaves after {})", item.summary, item.id, item.send_after);
                return Ok(ExitCode::SUCCESS);
            }
            let format = BriefingFormat::parse(format).map_err(api)?;
            match out {
                Some(path) => {
                    tandem.export_briefing(Some(&profile.id), day, edition, format, path, now).map_err(api)?
                }
                None => {
                    let briefing = tandem.briefing(Some(&profile.id), day, edition, now).map_err(api)?;
                    std::io::Write::write_all(&mut std::io::stdout(), &format.render(&briefing))?
                }
            }
        }
        Command::Prep { uid, note, instance, clear } => {
            let profile = tandem.executive(exec).map_err(api)?;
            match (note, clear) {
                (Some(text), _) => {
                    tandem.set_prep_note(Some(&profile.id), uid, instance.as_deref(), text, now).map_err(api)?
                }
                (None, true) => {
                    tandem.set_prep_note(Some(&profile.id), uid, instance.as_deref(), "", now).map_err(api)?
                }
                (None, false) => match tandem.prep_note(Some(&profile.id), uid, instance.as_deref()).map_err(api)? {
                    Some(n) => println!("{n}"),
                    None => eprintln!("tandem: no prep note on {uid}"),
                },
            }
        }
        Command::Agenda { date, days } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let range = tandem.calendar_range(Some(&profile.id), day, *days).map_err(api)?;
            for p in &range.problems {
                eprintln!("tandem: {p}");
            }
            if cli.json {
                print_json(&range.items)?;
            } else {
                println!("{} — {} ({})", profile.name, range.from, range.zone);
                for p in range.places.iter().filter(|p| p.zone != range.zone || p.other_zone.is_some()) {
                    let also = p.other_zone.as_deref().map(|z| format!(", also {z}")).unwrap_or_default();
                    let place = p.place.as_deref().map(|x| format!("{x}, ")).unwrap_or_default();
                    println!("  {}: in {place}{}{also} ({})", p.date, p.zone, p.reason);
                }
                if range.items.is_empty() {
                    println!("  nothing scheduled");
                }
                for item in &range.items {
                    println!("  {}", agenda_line(item, *days > 1));
                }
            }
        }
        Command::Freebusy { date, days, min } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let fb = tandem.free_busy(Some(&profile.id), day, *days, *min).map_err(api)?;
            if cli.json {
                print_json(&fb)?;
            } else {
                println!("{} — {} ({})", profile.name, day, fb.zone);
                for b in &fb.busy {
                    println!(
                        "  {} {}-{}",
                        if b.kind == "busy" { "busy     " } else { "tentative" },
                        &b.start[..16],
                        &b.end[11..16]
                    );
                }
                for f in &fb.free {
                    println!("  free      {}-{}", &f.start[..16], &f.end[11..16]);
                }
            }
        }
        Command::Conflicts { date, days } => {
            let profile = tandem.executive(exec).map_err(api)?;
            let day = dates::parse_day(date, now, profile.home_time_zone).map_err(api)?;
            let found = tandem.conflicts(Some(&profile.id), day, *days, now).map_err(api)?;
            if cli.json {
                print_json(&found)?;
            } else {
                if found.conflicts.is_empty() {
                    println!("{} — no conflicts in {} day(s) from {}", profile.name, days, found.from);
                }
                for c in &found.conflicts {
                    println!("{:<6} {} {:<21} {}", c.severity, c.date, c.kind, c.reason);
                }
            }
        }
        Command::Import { files } | Command::Mail(MailCommand::Import { paths: files }) => {
            let report = tandem.import_files(exec, files, now).map_err(api)?;
            return print_import(&report, cli.json);
        }
        Command::Subscribe { url, name } => {
            let client = tandem_api::subscription::feed_client();
            let shared = std::sync::Mutex::new(tandem);
            let (calendar, report) = runtime()?
                .block_on(tandem_api::subscription::subscribe(&shared, &client, exec, url, name.as_deref(), now))
                .map_err(api)?;
            for p in &report.problems {
                eprintln!("{p}");
            }
            if cli.json {
                print_json(&calendar)?;
            } else {
                println!("subscribed: '{}' from {} ({} events)", calendar.name, report.source, report.events);
            }
        }
        Command::Refresh { all } => {
            if *all {
                for c in tandem.calendars(exec).map_err(api)?.iter().filter(|c| c.feed.is_some()) {
                    tandem.refresh_calendar_soon(exec, c.id, now).map_err(api)?;
                }
            }
            let client = tandem_api::subscription::feed_client();
            let shared = std::sync::Mutex::new(tandem);
            let reports =
                runtime()?.block_on(tandem_api::subscription::refresh_due_feeds(&shared, &client, now)).map_err(api)?;
            for r in &reports {
                for p in &r.problems {
                    eprintln!("{p}");
                }
                if let Some(e) = &r.error {
                    eprintln!("tandem: {e}");
                }
            }
            if cli.json {
                print_json(&reports)?;
            } else {
                for r in &reports {
                    let what = match (&r.error, r.changed) {
                        (Some(_), _) => "failed, cached events kept".to_string(),
                        (None, true) => format!("{} events", r.events),
                        (None, false) => "unchanged".to_string(),
                    };
                    println!("{}: {what}", r.source);
                }
            }
            return Ok(ExitCode::from(if reports.iter().any(|r| r.error.is_some()) { 2 } else { 0 }));
        }
        Command::Reminders { hours, due } => {
            let list = if *due {
                tandem.due_reminders(now).map_err(api)?
            } else {
                tandem.upcoming_reminders(exec, now, *hours).map_err(api)?
            };
            if cli.json {
                print_json(&list)?;
            } else {
                for r in &list {
                    let at = dates::parse_instant(&r.at)
                        .map_err(api)?
                        .with_timezone(&r.zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC));
                    let note = r.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
                    println!(
                        "{} {}: {} at {} ({}){note}",
                        at.format("%a %H:%M"),
                        r.executive_name,
                        r.summary,
                        r.local_start,
                        r.zone
                    );
                }
            }
        }
        Command::Calendars => {
            let list = tandem.calendars(exec).map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for c in list {
                    let feed = c.feed.map(|f| {
                        let when = f.fetched_at.unwrap_or_else(|| "never".into());
                        let error = f.error.map(|e| format!(", last try failed: {e}")).unwrap_or_default();
                        format!("\t{} (fetched {when}{error})", f.source)
                    });
                    let hidden = if c.visible { "" } else { "\thidden" };
                    println!("{}\t{}\t{}{hidden}{}", c.id, c.name, c.color, feed.unwrap_or_default());
                }
            }
        }
        Command::Executives => {
            let list = tandem.executives().map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for e in list {
                    println!("{}\t{}\t{}", e.id, e.name, e.home_time_zone);
                }
            }
        }
        Command::Inbox { lane, limit, offset } => {
            let page = tandem.inbox(exec, lane.as_deref(), *offset, *limit, now).map_err(api)?;
            if cli.json {
                print_json(&page)?;
            } else {
                let mut last_lane = None;
                for m in &page.items {
                    if last_lane != Some(&m.lane) {
                        let n = page.lanes.iter().find(|c| c.lane == m.lane).map_or(0, |c| c.count);
                        println!("== {} ({n})", m.lane);
                        last_lane = Some(&m.lane);
                    }
                    println!("{}", message_line(m));
                }
                println!("{} of {} messages", page.items.len(), page.total);
            }
        }
        Command::Triage { again } => {
            let report = tandem.triage(exec, *again, now).map_err(api)?;
            if cli.json {
                print_json(&report)?;
            } else {
                for m in &report.items {
                    println!("{:<18} {}  ({})", m.lane, message_line(m).trim_start(), m.lane_reason);
                }
                let lanes: Vec<String> = report.lanes.iter().map(|c| format!("{} {}", c.lane, c.count)).collect();
                println!("{} triaged; inbox: {}", report.triaged, lanes.join(", "));
            }
        }
        Command::Account(AccountCommand::Add {
            kind,
            host,
            user,
            port,
            tls,
            ca_cert,
            folders,
            calendars,
            password_stdin,
        }) => {
            let password = if *password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                std::env::var("TANDEM_PASSWORD")
                    .map_err(|_| anyhow::anyhow!("give the password with --password-stdin or $TANDEM_PASSWORD"))?
            };
            let ca_file = ca_cert.as_ref().map(|p| std::path::absolute(p).unwrap_or(p.clone()).display().to_string());
            if kind == "caldav" {
                let shared = std::sync::Mutex::new(tandem);
                let added = runtime()?
                    .block_on(tandem_api::caldav::add_caldav_account(
                        &shared,
                        exec,
                        &tandem_api::dto::NewCalDavAccountDto {
                            url: host.clone(),
                            username: user.clone(),
                            calendars: calendars.clone(),
                            ca_file: ca_file.clone(),
                        },
                        &password,
                        now,
                    ))
                    .map_err(api)?;
                if cli.json {
                    print_json(&added)?;
                } else {
                    let a = &added.account;
                    println!(
                        "added caldav account {}: {}@{}; the password is in the keychain",
                        a.id, a.username, a.host
                    );
                    for c in &added.calendars {
                        let access = if c.writable { "" } else { " (read only)" };
                        println!("  {} <- {}{access}", c.name, c.url);
                    }
                    println!("`tandem sync` fetches them");
                }
                return Ok(ExitCode::SUCCESS);
            }
            let new = tandem_api::dto::NewAccountDto {
                kind: kind.clone(),
                host: host.clone(),
                port: *port,
                security: tls.clone(),
                username: user.clone(),
                ca_file,
                folders: folders.clone(),
            };
            let shared = std::sync::Mutex::new(tandem);
            let account = runtime()?
                .block_on(tandem_api::accounts::add_account(&shared, exec, &new, &password, now))
                .map_err(api)?;
            if cli.json {
                print_json(&account)?;
            } else {
                println!(
                    "added {} account {}: {}@{}:{} ({}); the password is in the keychain",
                    account.kind, account.id, account.username, account.host, account.port, account.security
                );
            }
        }
        Command::Account(AccountCommand::List) => {
            let accounts = tandem.accounts(exec).map_err(api)?;
            if cli.json {
                print_json(&accounts)?;
            } else if accounts.is_empty() {
                println!("no accounts: `tandem account add imap|smtp HOST --user U` or `tandem account add caldav URL --user U` adds one");
            } else {
                for a in &accounts {
                    let state = match (&a.last_error, &a.synced_at) {
                        (Some(e), _) => format!("failing: {e}"),
                        (None, Some(t)) => format!("synced {t}"),
                        (None, None) => "not synced yet".into(),
                    };
                    match &a.url {
                        Some(url) => println!("{:>3}  {:<6} {} at {url}  {}", a.id, a.kind, a.username, state),
                        None => println!(
                            "{:>3}  {:<6} {}@{}:{} ({})  {}",
                            a.id, a.kind, a.username, a.host, a.port, a.security, state
                        ),
                    }
                }
            }
        }
        Command::Account(AccountCommand::Calendars { id, add, remove }) => {
            for name in remove {
                let calendar = tandem
                    .calendars(exec)
                    .map_err(api)?
                    .into_iter()
                    .find(|c| &c.name == name)
                    .ok_or_else(|| anyhow::anyhow!("no calendar '{name}'"))?;
                tandem.remove_mirrored_calendar(exec, calendar.id).map_err(api)?;
                eprintln!("removed '{name}' from Tandem; the server keeps it");
            }
            let shared = std::sync::Mutex::new(tandem);
            let rt = runtime()?;
            for name in add {
                let added = rt.block_on(tandem_api::caldav::mirror_calendar(&shared, exec, *id, name)).map_err(api)?;
                eprintln!("added {} as '{}'; `tandem sync` fetches it", name, added.name);
            }
            let listed = rt.block_on(tandem_api::caldav::server_calendars(&shared, exec, *id)).map_err(api)?;
            if cli.json {
                print_json(&listed)?;
            } else {
                for c in &listed {
                    let state = match (&c.mirrored_as, c.on_server) {
                        (Some(local), true) => format!("in Tandem as '{local}'"),
                        (Some(local), false) => format!("gone from the server (--remove '{local}')"),
                        (None, _) => format!("not in Tandem (--add '{}')", c.name),
                    };
                    println!("{:<24} {}{}", c.name, state, if c.writable { "" } else { "  read-only" });
                }
            }
        }
        Command::Account(AccountCommand::Remove { id }) => {
            tandem.remove_account(exec, *id).map_err(api)?;
            println!("removed account {id}; its mail stays");
        }
        Command::Mail(MailCommand::Reply { id, words, .. })
        | Command::Mail(MailCommand::Forward { id, words, .. })
        | Command::Mail(MailCommand::Delegate { id, words, .. }) => {
            let (kind, to, days) = match &cli.command {
                Command::Mail(MailCommand::Reply { all, .. }) => {
                    (if *all { "reply_all" } else { "reply" }, vec![], None)
                }
                Command::Mail(MailCommand::Forward { to, .. }) => ("forward", to.clone(), None),
                Command::Mail(MailCommand::Delegate { to, days, .. }) => ("delegate", vec![to.clone()], *days),
                _ => unreachable!("matched above"),
            };
            let request = tandem_api::dto::DraftRequest {
                message_id: *id,
                kind: kind.into(),
                template: words.template.clone(),
                to,
                note: words.note.clone(),
            };
            let mut draft = tandem.draft(exec, &request).map_err(api)?;
            if days.is_some() {
                draft.follow_up_days = days;
            }
            if words.dry_run {
                if cli.json {
                    print_json(&draft)?;
                } else {
                    println!("From: {}", draft.from);
                    if let Some(s) = &draft.sender {
                        println!("Sender: {s}");
                    }
                    println!("To: {}", draft.to.join(", "));
                    if !draft.cc.is_empty() {
                        println!("Cc: {}", draft.cc.join(", "));
                    }
                    println!("Subject: {}\n\n{}", draft.subject, draft.body);
                }
            } else {
                let sent = tandem.send_draft(exec, &draft, now).map_err(api)?;
                if cli.json {
                    print_json(&sent)?;
                } else {
                    println!(
                        "{} (outbox item {}, leaves after {}; `tandem mail undo {}` takes it back)",
                        sent.summary, sent.outbox_id, sent.send_after, sent.action_id
                    );
                }
            }
        }
        Command::Mail(MailCommand::Templates(TemplatesCommand::Show)) => {
            let doc = tandem.templates_document(exec).map_err(api)?;
            if cli.json {
                print_json(&doc)?;
            } else {
                print!("{}", doc.toml);
                println!("\n# Variables:");
                for (name, meaning) in &doc.variables {
                    println!("#   {{{name}}}: {meaning}");
                }
            }
        }
        Command::Mail(MailCommand::Templates(TemplatesCommand::Set { file })) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let doc = tandem.save_templates(exec, &text, now).map_err(api)?;
            println!("saved {} templates", doc.templates.len());
        }
        Command::Mail(MailCommand::Sync) => {
            tandem.retry_now(exec, now).map_err(api)?;
            let shared = std::sync::Mutex::new(tandem);
            let report = runtime()?.block_on(tandem_api::accounts::sync_mail(&shared, exec, now)).map_err(api)?;
            for p in &report.problems {
                eprintln!("{p}");
            }
            let failed: Vec<_> = report.accounts.iter().filter(|a| a.error.is_some()).collect();
            for a in &failed {
                eprintln!(
                    "{} account {} ({}): {}",
                    a.kind,
                    a.account_id,
                    a.host,
                    a.error.as_deref().unwrap_or_default()
                );
            }
            if cli.json {
                print_json(&report)?;
            } else if report.accounts.is_empty() {
                println!("no accounts: `tandem account add imap|smtp HOST --user U` or `tandem account add caldav URL --user U` adds one");
            } else {
                for a in &report.accounts {
                    match a.kind.as_str() {
                        "imap" => println!(
                            "{} ({}): {} fetched, {} new, flags {} sent / {} received, {} gone, {} archived there, {} sent copies filed",
                            a.host, a.kind, a.fetched, a.added, a.flags_pushed, a.flags_pulled, a.gone, a.archived, a.filed_sent
                        ),
                        _ => println!(
                            "{} ({}): {} sent, {} to retry, {} failed",
                            a.host, a.kind, a.sent, a.retrying, a.failed
                        ),
                    }
                }
                println!("{} triaged", report.triaged);
            }
            if !failed.is_empty() {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Mail(MailCommand::Undo { action }) => {
            let done = tandem.undo_mail_action(exec, *action, now).map_err(api)?;
            if cli.json {
                print_json(&done)?;
            } else {
                println!("{}", done.summary);
            }
        }
        Command::Mail(MailCommand::Due) => {
            let due = tandem.due_mail(now).map_err(api)?;
            if cli.json {
                print_json(&due)?;
            } else {
                for d in &due {
                    let what = if d.kind == "snooze" { "back from snooze" } else { "no reply yet" };
                    println!("{} {what}: {}", d.executive_name, message_line(&d.message).trim_start());
                }
            }
        }
        Command::Mail(MailCommand::Rules(TriageRulesCommand::Show)) => {
            let doc = tandem.triage_rules_document(exec).map_err(api)?;
            if cli.json {
                print_json(&doc)?;
            } else {
                print!("{}", doc.toml);
            }
        }
        Command::Mail(MailCommand::Rules(TriageRulesCommand::Set { file })) => {
            let report = tandem.save_triage_rules(exec, &read(file)?, now).map_err(api)?;
            if cli.json {
                print_json(&report)?;
            } else {
                println!("saved; {} messages triaged again", report.triaged);
            }
        }
        Command::Mail(action) => {
            let (ids, kind) = match action {
                MailCommand::Archive { ids } => (ids, MailActionKind::Archive),
                MailCommand::Unarchive { ids } => (ids, MailActionKind::Unarchive),
                MailCommand::Flag { ids } => (ids, MailActionKind::Flag),
                MailCommand::Unflag { ids } => (ids, MailActionKind::Unflag),
                MailCommand::Read { ids } => (ids, MailActionKind::Read),
                MailCommand::Unread { ids } => (ids, MailActionKind::Unread),
                MailCommand::Snooze { ids, until } => (ids, MailActionKind::Snooze { until: until.clone() }),
                MailCommand::FollowUp { ids, days } => (ids, MailActionKind::FollowUp { days: *days }),
                MailCommand::Move { ids, lane, rule } => {
                    (ids, MailActionKind::Move { lane: lane.clone(), make_rule: *rule })
                }
                MailCommand::Link { ids, uid } => (ids, MailActionKind::Link { uid: uid.clone() }),
                MailCommand::Import { .. }
                | MailCommand::Undo { .. }
                | MailCommand::Due
                | MailCommand::Sync
                | MailCommand::Reply { .. }
                | MailCommand::Forward { .. }
                | MailCommand::Delegate { .. }
                | MailCommand::Templates(_)
                | MailCommand::Rules(_) => {
                    unreachable!("handled above")
                }
            };
            let done = tandem.act_on_mail(exec, ids, &kind, now).map_err(api)?;
            if cli.json {
                print_json(&done)?;
            } else {
                println!("{} (undo: tandem mail undo {})", done.summary, done.id);
            }
        }
        Command::Search { query, limit, repeat: Some(n) } => {
            let text = query.join(" ");
            let mut times = Vec::new();
            let mut found = 0;
            for _ in 0..(*n).max(1) {
                let t0 = std::time::Instant::now();
                found = tandem.search(exec, &text, *limit).map_err(api)?.items.len();
                times.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            let report = serde_json::json!({
                "query": text, "found": found, "runs": times.len(),
                "best_ms": times[0], "median_ms": times[times.len() / 2],
            });
            println!("{report}");
        }
        Command::Search { query, limit, repeat: None } => {
            let found = tandem.search(exec, &query.join(" "), *limit).map_err(api)?;
            if cli.json {
                print_json(&found)?;
            } else {
                for m in &found.items {
                    println!("{}", message_line(m));
                }
                println!("{} found", found.items.len());
            }
        }
        Command::Invitations { command: None } => {
            let q = tandem.invitation_queue(exec).map_err(api)?;
            if cli.json {
                print_json(&q)?;
            } else {
                for (title, list) in [
                    ("Held for review", &q.held),
                    ("Not yet decided", &q.pending),
                    ("Decided by the rules", &q.decided),
                    ("Answered by the EP", &q.answered),
                ] {
                    if list.is_empty() {
                        continue;
                    }
                    println!("{title}:");
                    for i in list {
                        let decision = i.decision.as_ref();
                        let undo =
                            decision.filter(|d| d.undoable).map(|d| format!("  [undo: decisions undo {}]", d.id));
                        println!(
                            "  #{:<4} {}  {}  (from {}, via {}){}",
                            i.id,
                            i.view_start,
                            i.summary,
                            i.organizer.as_deref().unwrap_or("?"),
                            i.source,
                            undo.unwrap_or_default()
                        );
                        if let Some(d) = decision {
                            println!("         {}", d.reason);
                        }
                    }
                }
            }
        }
        Command::Invitations { command: Some(InvitationCommand::Process) } => {
            let decided = tandem.process_invitations(exec, now).map_err(api)?;
            if cli.json {
                print_json(&decided)?;
            } else {
                for d in &decided {
                    println!("{}: {}", d.summary, d.reason);
                }
                println!("{} invitation(s) decided", decided.len());
            }
        }
        Command::Invitations { command: Some(InvitationCommand::Answer { id, action, message, to, start, end }) } => {
            use tandem_api::dto::Answer;
            let message = message.clone();
            let answer = match action.as_str() {
                "accept" => Answer::Accept { message },
                "tentative" => Answer::Tentative { message },
                "decline" => Answer::Decline { message },
                "counter" => Answer::CounterPropose { start: start.clone(), end: end.clone(), message },
                _ => Answer::Delegate {
                    to: to.clone().ok_or_else(|| anyhow::anyhow!("delegate needs --to ADDRESS"))?,
                    message,
                },
            };
            let d = tandem.answer_invitation(exec, *id, &answer, now).map_err(api)?;
            if cli.json {
                print_json(&d)?;
            } else {
                println!("{} (decision {}; undo with `tandem decisions undo {}`)", d.reason, d.id, d.id);
            }
        }
        Command::Rules(RulesCommand::Show) => {
            let doc = tandem.rules_document(exec).map_err(api)?;
            if cli.json {
                print_json(&doc)?;
            } else {
                print!("{}", doc.toml);
            }
        }
        Command::Rules(RulesCommand::Set { file }) => {
            let doc = tandem.save_rules(exec, &read(file)?, now).map_err(api)?;
            // Invitations waiting for rules get them at once.
            let decided = tandem.process_invitations(Some(&doc.executive_id), now).map_err(api)?;
            if cli.json {
                print_json(&doc)?;
            } else {
                println!(
                    "saved {} rule(s) for {}; {} invitation(s) decided",
                    doc.rules.len(),
                    doc.executive_id,
                    decided.len()
                );
            }
        }
        Command::Rules(RulesCommand::Check { rules, profile: _, calendars, invite }) => {
            let rules = rules.as_ref().map(read).transpose()?;
            let calendars = if calendars.is_empty() { None } else { Some(read_all(calendars)?) };
            let check = tandem
                .check_invitation(exec, rules.as_deref(), None, calendars.as_deref(), &read(invite)?, now)
                .map_err(api)?;
            print_check(&check, cli.json)?;
        }
        Command::Rules(RulesCommand::DryRun { rules, days }) => {
            let rules = rules.as_ref().map(read).transpose()?;
            let run = tandem.dry_run(exec, rules.as_deref(), *days, now).map_err(api)?;
            if cli.json {
                print_json(&run)?;
            } else {
                println!("{:<3} {:<16} {:<34} {:<16} {:<16} reason", "", "when", "invitation", "now", "would be");
                for r in &run.rows {
                    let mark = if r.changed { "*" } else { " " };
                    let title: String = r.summary.chars().take(33).collect();
                    println!(
                        "{mark:<3} {:<16} {:<34} {:<16} {:<16} {}",
                        r.view_start,
                        title,
                        r.current_action.as_deref().unwrap_or("-"),
                        r.action,
                        r.reason
                    );
                }
                let totals: Vec<String> = run.totals.iter().map(|(a, n)| format!("{a} {n}")).collect();
                println!(
                    "{} invitation(s) in {} days: {}; {} would change",
                    run.rows.len(),
                    run.days,
                    totals.join(", "),
                    run.changed
                );
            }
        }
        Command::Decisions { command: Some(DecisionCommand::Undo { id }), .. } => {
            let d = tandem.undo_decision(exec, *id, now).map_err(api)?;
            if cli.json {
                print_json(&d)?;
            } else {
                let cancelled = d.outbox.iter().filter(|o| o.state == "cancelled").count();
                println!(
                    "undone: {} ({} message(s) taken back; the invitation is held for review)",
                    d.summary, cancelled
                );
            }
        }
        Command::Decisions { command: None, action, rule, search, since } => {
            if let Some(a) = action.as_deref().filter(|a| !tandem_api::rules::is_action(a)) {
                anyhow::bail!("--action: '{a}' is not one of accept, tentative, decline, counter, hold, delegate");
            }
            let since = match since {
                Some(s) => {
                    let profile = tandem.executive(exec).map_err(api)?;
                    Some(match dates::parse_instant(s) {
                        Ok(t) => t,
                        Err(_) => {
                            let day =
                                dates::parse_day(s, now, profile.home_time_zone).map_err(api).context("--since")?;
                            tandem_api::TimeWindow::day(day, profile.home_time_zone).start
                        }
                    })
                }
                None => None,
            };
            let list =
                tandem.decisions(exec, action.as_deref(), rule.as_deref(), search.as_deref(), since).map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for d in &list {
                    let undone = if d.undone_at.is_some() { " (undone)" } else { "" };
                    println!(
                        "#{:<4} {}  {}{undone}
       {}",
                        d.id,
                        &d.decided_at[..16],
                        d.summary,
                        d.reason
                    );
                }
            }
        }
        Command::Event(cmd) => {
            let m = match cmd {
                EventCommand::New {
                    title,
                    start,
                    end,
                    minutes,
                    attendees,
                    optional,
                    location,
                    description,
                    calendar,
                    rrule,
                } => {
                    let end = match (end, minutes) {
                        (Some(e), _) => e.clone(),
                        (None, Some(m)) => {
                            let profile = tandem.executive(exec).map_err(api)?;
                            let at = tandem_api::meetings::local_or_instant(&profile, start).map_err(api)?;
                            tandem_api::invitations::rfc3339(at + chrono::Duration::minutes(*m))
                        }
                        (None, None) => anyhow::bail!("give --end or --minutes"),
                    };
                    let draft = tandem_api::dto::MeetingDraft {
                        title: title.clone(),
                        start: start.clone(),
                        end,
                        attendees: attendees.clone(),
                        optional: optional.clone(),
                        location: location.clone(),
                        description: description.clone(),
                        calendar: calendar.clone(),
                        rrule: rrule.clone(),
                    };
                    tandem.create_meeting(exec, &draft, now).map_err(api)?
                }
                EventCommand::Edit { uid, title, start, end, location, attendees } => {
                    let changes = tandem_api::dto::MeetingChanges {
                        title: title.clone(),
                        start: start.clone(),
                        end: end.clone(),
                        location: location.clone(),
                        attendees: if attendees.is_empty() { None } else { Some(attendees.clone()) },
                        optional: None,
                    };
                    tandem.edit_meeting(exec, uid, &changes, now).map_err(api)?
                }
                EventCommand::Cancel { uid, instance, message } => {
                    tandem.cancel_meeting(exec, uid, instance.as_deref(), message.as_deref(), now).map_err(api)?
                }
                EventCommand::Show { uid } => tandem.meeting(exec, uid).map_err(api)?,
            };
            if cli.json {
                print_json(&m)?;
            } else {
                println!("{} — {} ({}, sequence {}, {})", m.summary, m.start, m.calendar, m.sequence, m.status);
                println!("  uid {}", m.uid);
                for a in &m.attendees {
                    println!("  {:<12} {}{}", a.status, a.address, if a.optional { " (optional)" } else { "" });
                }
                for o in &m.outbox {
                    println!("  #{:<4} {:<9} {}", o.id, o.state, o.summary);
                }
            }
        }
        Command::Outbox { command: None } => {
            let list = tandem.outbox(exec).map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for o in &list {
                    let when = match o.state.as_str() {
                        "queued" => format!("leaves after {}", &o.send_after[..16]),
                        "sent" => format!("sent {}", &o.sent_at.as_deref().unwrap_or("?")[..16]),
                        other => other.to_string(),
                    };
                    println!("#{:<4} {:<9} {}  ({when})", o.id, o.state, o.summary);
                }
            }
        }
        Command::Outbox { command: Some(OutboxCommand::Show { id }) } => {
            use std::io::Write;
            let raw = tandem.outbox_message(exec, *id).map_err(api)?;
            std::io::stdout().write_all(&raw)?;
        }
        Command::Profile(ProfileCommand::Show) => {
            let doc = tandem.profile(exec).map_err(api)?;
            if cli.json {
                print_json(&doc)?;
            } else {
                print!("{}", doc.toml);
            }
        }
        Command::Profile(ProfileCommand::Set { file }) => {
            let text = read(file)?;
            let saved = tandem.save_profile(&text).map_err(api)?;
            if cli.json {
                print_json(&saved)?;
            } else {
                println!("saved profile of {} ({})", saved.name, saved.id);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints what an import did; problems go to stderr. Exit 1 when a file failed, 2 when some
/// of its contents could not be read.
fn print_import(report: &tandem_api::dto::ImportReport, json: bool) -> anyhow::Result<ExitCode> {
    let reports = &report.files;
    let failed = reports.iter().any(|r| r.error.is_some());
    let partial = reports.iter().any(|r| !r.problems.is_empty());
    for r in reports {
        for p in &r.problems {
            eprintln!("{p}");
        }
        if let Some(e) = &r.error {
            eprintln!("{e}");
        }
    }
    if let Some(e) = &report.rules_error {
        eprintln!("tandem: rules not applied: {e}");
    }
    if json {
        print_json(report)?;
    } else {
        for r in reports.iter().filter(|r| r.error.is_none()) {
            match r.calendar.as_deref() {
                Some("mail") => {
                    let skipped = if r.skipped.is_empty() {
                        String::new()
                    } else {
                        format!("; left out {}", r.skipped.join(", "))
                    };
                    println!(
                        "{}: {} messages read, {} new ({} invitations, {} problems{skipped})",
                        r.source,
                        r.messages,
                        r.added,
                        r.invitations,
                        r.problems.len()
                    )
                }
                Some(c) if c.starts_with("iTIP") => println!("{}: {} ({} invitations)", r.source, c, r.invitations),
                c => println!(
                    "{}: {} events into '{}' ({} invitations, {} problems)",
                    r.source,
                    r.events,
                    c.unwrap_or("?"),
                    r.invitations,
                    r.problems.len()
                ),
            }
            for c in &r.changes {
                println!("  {c}");
            }
        }
        for d in &report.decided {
            println!("  {}: {}", d.summary, d.reason);
        }
    }
    Ok(ExitCode::from(if failed {
        1
    } else if partial {
        2
    } else {
        0
    }))
}

/// One message on a line: when, VIP mark, sender, subject, and its id for the mail commands.
fn message_line(m: &tandem_api::dto::InboxItem) -> String {
    let mark = match (m.vip, m.flagged) {
        (true, true) => "VIP* ",
        (true, false) => "VIP  ",
        (false, true) => "   * ",
        (false, false) => "     ",
    };
    let from = m.from_name.as_deref().unwrap_or(&m.from_address);
    format!("{:>6} {} {mark}{:<26} {}", m.id, &m.date[..16], from, m.subject)
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Files as (name, text), for calendars given on the command line.
fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    paths
        .iter()
        .map(|p| {
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok((name, read(p)?))
        })
        .collect()
}

fn print_check(check: &tandem_api::dto::RuleCheck, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(check);
    }
    let rule = check.rule.as_deref().map(|r| format!(" (rule '{r}')")).unwrap_or_default();
    println!("{}{rule}: {}", check.action, check.summary);
    println!("{}", check.reason);
    for r in &check.replies {
        println!("\n{}", r.replace("\r\n", "\n").trim_end());
    }
    Ok(())
}

fn expand(from: &str, to: &str, tz: &str, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let zone: chrono_tz::Tz = tz.parse().map_err(|_| anyhow::anyhow!("--tz: '{tz}' is not an IANA time zone"))?;
    let from = expand::parse_bound(from, zone).map_err(api).context("--from")?;
    let to = expand::parse_bound(to, zone).map_err(api).context("--to")?;
    if to <= from {
        anyhow::bail!("--to must be after --from");
    }
    let outcome = expand::expand_files(files, tandem_api::TimeWindow::new(from, to), zone);
    for p in &outcome.problems {
        eprintln!("{p}");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in &outcome.lines {
        serde_json::to_writer(&mut out, line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::from(if outcome.failed {
        1
    } else if outcome.skipped {
        2
    } else {
        0
    }))
}

/// A runtime for the commands that talk to servers; the rest of the CLI is synchronous.
fn print_instance_plan(plan: &tandem_api::schedule::InstancePlan, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(plan);
    }
    let time = |t: Option<DateTime<Utc>>| t.map_or("-".to_string(), |t| t.format("%a %d %b %H:%M").to_string());
    for p in plan.placements.iter().filter(|p| p.status != "stays") {
        println!("{:<9} {:<32} {} -> {}", p.status, p.summary_or_id(), time(p.from), time(p.to));
    }
    for c in &plan.fixed_clashes {
        println!("fixed     {} (no plan can change it)", c.reason);
    }
    println!(
        "objective {} ({}; {} steps), was {} with {} clash(es)",
        plan.objective,
        if plan.optimal { "optimal" } else { "best found" },
        plan.steps,
        plan.status_quo_objective,
        plan.status_quo_violations.len()
    );
    let t = &plan.terms;
    println!(
        "terms: moves {} unplaced {} outside_hours {} no_meeting_day {} focus {} lunch {} buffer {} over_cap {} optional_busy {}",
        t.moves, t.unplaced, t.outside_hours, t.no_meeting_day, t.focus, t.lunch, t.buffer, t.over_cap, t.optional_busy
    );
    Ok(())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

fn api(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!(e.message)
}

fn agenda_line(item: &AgendaItem, with_date: bool) -> String {
    let time = if item.all_day {
        "all day    ".to_string()
    } else {
        let s = &item.view_start[if with_date { 5 } else { 11 }..];
        format!("{s}-{}", &item.view_end[11..])
    };
    let mut notes = Vec::new();
    if item.conflict {
        notes.push("CONFLICT".to_string());
    }
    if item.response.as_deref() == Some("needs_action") {
        notes.push("awaiting answer".to_string());
    }
    if item.free {
        notes.push("free".to_string());
    }
    let notes = if notes.is_empty() { String::new() } else { format!("  ({})", notes.join(", ")) };
    format!("{time}  {}  [{}]{notes}", item.summary, item.calendars.join(", "))
}
