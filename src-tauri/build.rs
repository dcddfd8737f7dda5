/// The app's commands, declared so Tauri generates an `allow-<command>` permission for each;
/// capabilities/ then grants them per window (a command not granted is refused).
const COMMANDS: &[&str] = &[
    "session",
    "calendar_range",
    "conflicts",
    "schedule",
    "approve_moves",
    "undo_approval",
    "find_time",
    "update_calendar",
    "import_ics_text",
    "subscribe_calendar",
    "refresh_calendar",
    "inbox",
    "search_mail",
    "triage",
    "act_on_mail",
    "undo_mail_action",
    "triage_rules",
    "save_triage_rules",
    "read_message",
    "allow_remote_content",
    "accounts",
    "add_account",
    "remove_account",
    "sync_mail",
    "templates",
    "save_templates",
    "draft_mail",
    "send_draft",
    "invitation_queue",
    "answer_invitation",
    "undo_decision",
    "decisions",
    "outbox",
    "rules_document",
    "save_rules",
    "dry_run",
    "create_meeting",
    "edit_meeting",
    "cancel_meeting",
    "profile",
    "save_profile",
    "save_profile_fields",
    "load_demo",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build configuration is valid");
}
