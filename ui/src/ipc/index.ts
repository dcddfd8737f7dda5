// The only module that talks to Tauri. Every backend call is a typed function here; the
// types come from the Rust DTOs (ts-rs, in ./bindings), so a renamed field breaks the build.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ApiError } from "./bindings/ApiError";
import type { CalendarDto } from "./bindings/CalendarDto";
import type { CalendarRange } from "./bindings/CalendarRange";
import type { DemoReport } from "./bindings/DemoReport";
import type { ExecutiveDto } from "./bindings/ExecutiveDto";
import type { FeedReportDto } from "./bindings/FeedReportDto";
import type { ImportFileReport } from "./bindings/ImportFileReport";
import type { ImportReport } from "./bindings/ImportReport";
import type { InboxPage } from "./bindings/InboxPage";
import type { Answer } from "./bindings/Answer";
import type { ConflictsDto } from "./bindings/ConflictsDto";
import type { DecisionDto } from "./bindings/DecisionDto";
import type { DryRun } from "./bindings/DryRun";
import type { InvitationDto } from "./bindings/InvitationDto";
import type { InvitationQueue } from "./bindings/InvitationQueue";
import type { MeetingChanges } from "./bindings/MeetingChanges";
import type { MeetingDraft } from "./bindings/MeetingDraft";
import type { MeetingDto } from "./bindings/MeetingDto";
import type { OutboxDto } from "./bindings/OutboxDto";
import type { CalDavAccountDto } from "./bindings/CalDavAccountDto";
import type { NewCalDavAccountDto } from "./bindings/NewCalDavAccountDto";
import type { SyncDto } from "./bindings/SyncDto";
import type { SyncStatusDto } from "./bindings/SyncStatusDto";
import type { ServerCalendarDto } from "./bindings/ServerCalendarDto";
import type { RemoteCalendarDto } from "./bindings/RemoteCalendarDto";
import type { ClashDto } from "./bindings/ClashDto";
import type { SyncProgressDto } from "./bindings/SyncProgressDto";
import type { RuleFields } from "./bindings/RuleFields";
import type { RulesDocument } from "./bindings/RulesDocument";
import type { ProfileDocument } from "./bindings/ProfileDocument";
import type { ProfileFields } from "./bindings/ProfileFields";
import type { ReminderDto } from "./bindings/ReminderDto";
import type { SessionDto } from "./bindings/SessionDto";
import type { ApprovalDto } from "./bindings/ApprovalDto";
import type { MoveDto } from "./bindings/MoveDto";
import type { ScheduleDto } from "./bindings/ScheduleDto";
import type { FindTimeDto } from "./bindings/FindTimeDto";
import type { MailActionDto } from "./bindings/MailActionDto";
import type { MailActionKind } from "./bindings/MailActionKind";
import type { MailDueDto } from "./bindings/MailDueDto";
import type { MessageView } from "./bindings/MessageView";
import type { SearchDto } from "./bindings/SearchDto";
import type { TriageReport } from "./bindings/TriageReport";
import type { TriageRulesDocument } from "./bindings/TriageRulesDocument";
import type { AccountDto } from "./bindings/AccountDto";
import type { NewAccountDto } from "./bindings/NewAccountDto";
import type { MailSyncDto } from "./bindings/MailSyncDto";
import type { AccountSyncDto } from "./bindings/AccountSyncDto";
import type { TemplatesDocument } from "./bindings/TemplatesDocument";
import type { TemplateDto } from "./bindings/TemplateDto";
import type { DraftRequest } from "./bindings/DraftRequest";
import type { DraftDto } from "./bindings/DraftDto";
import type { SentDraftDto } from "./bindings/SentDraftDto";

export type {
  AgendaItem,
} from "./bindings/AgendaItem";
export type { ApiError, CalendarDto, FeedReportDto, CalendarRange, DemoReport, ImportFileReport, ExecutiveDto, InboxPage, InvitationDto, ProfileDocument, ProfileFields, ReminderDto, SessionDto };
export type { ConflictsDto, ImportReport, MeetingChanges, MeetingDraft, MeetingDto };
export type { ConflictDto } from "./bindings/ConflictDto";
export type { Answer, DecisionDto, DryRun, InvitationQueue, OutboxDto, RuleFields, RulesDocument };
export type { DryRunRow } from "./bindings/DryRunRow";
export type { InboxItem } from "./bindings/InboxItem";
export type { ApprovalDto, FindTimeDto, MoveDto, ScheduleDto };
export type { SlotDto } from "./bindings/SlotDto";
export type { ProposalDto } from "./bindings/ProposalDto";
export type { AlternativeDto } from "./bindings/AlternativeDto";
export type { MailActionDto, MailActionKind, MailDueDto, MessageView, SearchDto, TriageReport, TriageRulesDocument };
export type { LaneCount } from "./bindings/LaneCount";
export type { CalDavAccountDto, ClashDto, NewCalDavAccountDto, ServerCalendarDto, SyncDto, SyncProgressDto, SyncStatusDto };
/** The briefing read in the morning of its day, or the evening before. */
export type Edition = "morning" | "evening";
export type BriefingFormat = "pdf" | "html" | "text";
export type { AccountDto, AccountSyncDto, DraftDto, DraftRequest, MailSyncDto, NewAccountDto, SentDraftDto, TemplateDto, TemplatesDocument };

/** Whether a thrown value is the backend's `{code, message}` error. */
export function isApiError(e: unknown): e is ApiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** A message for people from anything thrown by a call. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    // Tauri rejects with the serialised ApiError; anything else (no backend) becomes one.
    if (isApiError(e)) throw e;
    throw { code: "storage", message: errorMessage(e) } satisfies ApiError;
  }
}

export const api = {
  session: () => call<SessionDto>("session"),
  calendarRange: (executive: string, from: string, days: number) =>
    call<CalendarRange>("calendar_range", { executive, from, days }),
  conflicts: (executive: string, from: string, days: number) => call<ConflictsDto>("conflicts", { executive, from, days }),
  schedule: (executive: string, from: string, days: number) => call<ScheduleDto>("schedule", { executive, from, days }),
  approveMoves: (executive: string, moves: MoveDto[]) => call<ApprovalDto>("approve_moves", { executive, moves }),
  undoApproval: (executive: string, id: number) => call<ApprovalDto>("undo_approval", { executive, id }),
  findTime: (executive: string, attendees: string[], optional: string[], minutes: number, from: string, days: number) =>
    call<FindTimeDto>("find_time", { executive, attendees, optional, minutes, from, days }),
  updateCalendar: (executive: string, id: number, color: string, visible: boolean) =>
    call<CalendarDto>("update_calendar", { executive, id, color, visible }),
  importIcsText: (executive: string, fileName: string, text: string) =>
    call<ImportReport>("import_ics_text", { executive, fileName, text }),
  subscribeCalendar: (executive: string, url: string, name: string | null) =>
    call<CalendarDto>("subscribe_calendar", { executive, url, name }),
  refreshCalendar: (executive: string, id: number) => call<FeedReportDto[]>("refresh_calendar", { executive, id }),
  inbox: (executive: string, lane: string | null, offset: number, limit: number) =>
    call<InboxPage>("inbox", { executive, lane, offset, limit }),
  searchMail: (executive: string, query: string, limit: number) => call<SearchDto>("search_mail", { executive, query, limit }),
  readMessage: (executive: string, id: number) => call<MessageView>("read_message", { executive, id }),
  actOnMail: (executive: string, ids: number[], action: MailActionKind) =>
    call<MailActionDto>("act_on_mail", { executive, ids, action }),
  undoMailAction: (executive: string, id: number) => call<MailActionDto>("undo_mail_action", { executive, id }),
  allowRemoteContent: (executive: string, sender: string, allowed: boolean) =>
    call<null>("allow_remote_content", { executive, sender, allowed }),
  triage: (executive: string, again: boolean) => call<TriageReport>("triage", { executive, again }),
  triageRules: (executive: string) => call<TriageRulesDocument>("triage_rules", { executive }),
  saveTriageRules: (executive: string, toml: string) => call<TriageReport>("save_triage_rules", { executive, toml }),
  invitationQueue: (executive: string) => call<InvitationQueue>("invitation_queue", { executive }),
  answerInvitation: (executive: string, id: number, answer: Answer) =>
    call<DecisionDto>("answer_invitation", { executive, id, answer }),
  undoDecision: (executive: string, id: number) => call<DecisionDto>("undo_decision", { executive, id }),
  decisions: (executive: string, action: string | null, rule: string | null, text: string | null) =>
    call<DecisionDto[]>("decisions", { executive, action, rule, text }),
  outbox: (executive: string) => call<OutboxDto[]>("outbox", { executive }),
  createMeeting: (executive: string, draft: MeetingDraft) => call<MeetingDto>("create_meeting", { executive, draft }),
  editMeeting: (executive: string, uid: string, changes: MeetingChanges) => call<MeetingDto>("edit_meeting", { executive, uid, changes }),
  cancelMeeting: (executive: string, uid: string, message: string | null) =>
    call<MeetingDto>("cancel_meeting", { executive, uid, instance: null, message }),
  rulesDocument: (executive: string) => call<RulesDocument>("rules_document", { executive }),
  saveRulesToml: (executive: string, toml: string) => call<RulesDocument>("save_rules", { executive, toml, rules: null }),
  saveRuleFields: (executive: string, rules: RuleFields[]) => call<RulesDocument>("save_rules", { executive, toml: null, rules }),
  dryRun: (executive: string, toml: string | null, days: number) => call<DryRun>("dry_run", { executive, toml, rules: null, days }),
  dryRunFields: (executive: string, rules: RuleFields[], days: number) =>
    call<DryRun>("dry_run", { executive, toml: null, rules, days }),
  profile: (executive: string) => call<ProfileDocument>("profile", { executive }),
  saveProfile: (toml: string) => call<ExecutiveDto>("save_profile", { toml }),
  saveProfileFields: (fields: ProfileFields) => call<ExecutiveDto>("save_profile_fields", { fields }),
  loadDemo: () => call<DemoReport>("load_demo"),
  briefingHtml: (executive: string | null, date: string, edition: Edition) =>
    call<string>("briefing_html", { executive, date, edition }),
  openBriefing: (executive: string) => call<null>("open_briefing", { executive }),
  /** Writes the briefing into the Downloads folder; resolves to the file's path. */
  exportBriefing: (executive: string, date: string, edition: Edition, format: BriefingFormat) =>
    call<string>("export_briefing", { executive, date, edition, format }),
  emailBriefing: (executive: string, date: string, edition: Edition) =>
    call<OutboxDto>("email_briefing", { executive, date, edition }),
  cancelOutbox: (executive: string, id: number) => call<null>("cancel_outbox", { executive, id }),
  prepNote: (executive: string, uid: string, recurrenceId: string | null) =>
    call<string | null>("prep_note", { executive, uid, recurrenceId }),
  setPrepNote: (executive: string, uid: string, recurrenceId: string | null, note: string) =>
    call<null>("set_prep_note", { executive, uid, recurrenceId, note }),
  accounts: (executive: string) => call<AccountDto[]>("accounts", { executive }),
  addAccount: (executive: string, account: NewAccountDto, password: string) =>
    call<AccountDto>("add_account", { executive, account, password }),
  removeAccount: (executive: string, id: number) => call<null>("remove_account", { executive, id }),
  syncMail: (executive: string) => call<MailSyncDto>("sync_mail", { executive }),
  addCalDavAccount: (executive: string, account: NewCalDavAccountDto, password: string) =>
    call<CalDavAccountDto>("add_caldav_account", { executive, account, password }),
  /** Syncs now; `onProgress` hears how far each calendar's fetch has got. */
  syncCalendars: (executive: string, onProgress?: (p: SyncProgressDto) => void) => {
    const channel = new Channel<SyncProgressDto>();
    if (onProgress) channel.onmessage = onProgress;
    return call<SyncDto>("sync_calendars", { executive, onProgress: channel });
  },
  serverCalendars: (executive: string, account: number) => call<ServerCalendarDto[]>("server_calendars", { executive, account }),
  mirrorCalendar: (executive: string, account: number, name: string) => call<RemoteCalendarDto>("mirror_calendar", { executive, account, name }),
  removeMirroredCalendar: (executive: string, calendar: number) => call<string>("remove_mirrored_calendar", { executive, calendar }),
  syncStatus: (executive: string) => call<SyncStatusDto>("sync_status", { executive }),
  clashes: (executive: string) => call<ClashDto[]>("clashes", { executive }),
  resolveClash: (executive: string, id: number, keep: "mine" | "theirs") => call<null>("resolve_clash", { executive, id, keep }),
  templates: (executive: string) => call<TemplatesDocument>("templates", { executive }),
  saveTemplates: (executive: string, toml: string) => call<TemplatesDocument>("save_templates", { executive, toml }),
  draftMail: (executive: string, request: DraftRequest) => call<DraftDto>("draft_mail", { executive, request }),
  sendDraft: (executive: string, draft: DraftDto) => call<SentDraftDto>("send_draft", { executive, draft }),
};

/** Calls `handler` whenever the backend refreshed subscribed calendars (new events or a failure). */
export function onCalendarsChanged(handler: (reports: FeedReportDto[]) => void): Promise<UnlistenFn> {
  return listen<FeedReportDto[]>("calendars-changed", (e) => handler(e.payload));
}

/** Calls `handler` with each background CalDAV sync's report: what waits to leave, conflicts, errors. */
export function onCalendarsSynced(handler: (executive: string, report: SyncDto) => void): Promise<UnlistenFn> {
  return listen<[string, SyncDto]>("calendars-synced", (e) => handler(e.payload[0], e.payload[1]));
}

/** Calls `handler` with the reminders the backend just delivered (also shown as desktop notifications). */
export function onReminders(handler: (reminders: ReminderDto[]) => void): Promise<UnlistenFn> {
  return listen<ReminderDto[]>("reminder", (e) => handler(e.payload));
}

/** Calls `handler` when snoozed mail wakes or a follow-up falls due (also a desktop notification). */
export function onMailDue(handler: (due: MailDueDto[]) => void): Promise<UnlistenFn> {
  return listen<MailDueDto[]>("mail-due", (e) => handler(e.payload));
}

/** Calls `handler` after a background mail sync or send: `[executive id, what each account did]`. */
export function onMailSynced(handler: (executive: string, report: MailSyncDto) => void): Promise<UnlistenFn> {
  return listen<[string, MailSyncDto]>("mail-synced", (e) => handler(e.payload[0], e.payload[1]));
}
