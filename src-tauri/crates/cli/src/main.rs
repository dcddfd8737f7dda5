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
use tandem_api::{dates, dto::AgendaItem, expand, ApiError, Tandem};

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
    /// Import iCalendar files into the executive's calendars.
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
    /// The executive's inbox, newest first.
    Inbox {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Invitations waiting for an answer.
    Invitations,
    /// Show or replace an executive profile (a TOML document).
    #[command(subcommand)]
    Profile(ProfileCommand),
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
    let mut tandem = Tandem::open(cli.data_dir.clone()).map_err(api)?;
    let exec = cli.executive.as_deref();
    match &cli.command {
        Command::Expand { .. } => unreachable!("handled before the store is opened"),
        Command::Demo => {
            let r = tandem.load_demo(now).map_err(api)?;
            if cli.json {
                print_json(&r)?;
            } else {
                let names: Vec<&str> = r.executives.iter().map(|e| e.name.as_str()).collect();
                println!(
                    "Demo loaded into {}: {} ({} events, {} messages, {} invitations waiting)",
                    tandem.data_dir().display(),
                    names.join(", "),
                    r.events,
                    r.messages,
                    r.invitations
                );
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
        Command::Import { files } => {
            let reports = tandem.import_ics(exec, files, now).map_err(api)?;
            let failed = reports.iter().any(|r| r.error.is_some());
            let partial = reports.iter().any(|r| !r.problems.is_empty());
            for r in &reports {
                for p in &r.problems {
                    eprintln!("{p}");
                }
                if let Some(e) = &r.error {
                    eprintln!("{e}");
                }
            }
            if cli.json {
                print_json(&reports)?;
            } else {
                for r in reports.iter().filter(|r| r.error.is_none()) {
                    println!(
                        "{}: {} events into '{}' ({} invitations, {} problems)",
                        r.source,
                        r.events,
                        r.calendar.as_deref().unwrap_or("?"),
                        r.invitations,
                        r.problems.len()
                    );
                }
            }
            return Ok(ExitCode::from(if failed {
                1
            } else if partial {
                2
            } else {
                0
            }));
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
        Command::Inbox { limit, offset } => {
            let page = tandem.inbox(exec, *offset, *limit).map_err(api)?;
            if cli.json {
                print_json(&page)?;
            } else {
                for m in &page.items {
                    let flag = if m.vip { "VIP " } else { "    " };
                    println!(
                        "{} {flag}{:<28} {}",
                        &m.date[..16],
                        m.from_name.as_deref().unwrap_or(&m.from_address),
                        m.subject
                    );
                }
                println!("{} of {} messages", page.items.len(), page.total);
            }
        }
        Command::Invitations => {
            let list = tandem.pending_invitations(exec).map_err(api)?;
            if cli.json {
                print_json(&list)?;
            } else {
                for i in list {
                    println!(
                        "{}  {}  (from {}, via {})",
                        i.start,
                        i.summary,
                        i.organizer.as_deref().unwrap_or("?"),
                        i.source
                    );
                }
            }
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
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
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
