// The command palette's model: every action the EP can take, searchable by name, each with its
// single-key shortcut shown so the palette also teaches the keyboard.

export interface Command {
  id: string;
  title: string;
  /** The shortcut, as shown to people (e.g. "w", "Ctrl+K"). */
  shortcut?: string;
  group: string;
  run: () => void;
}

/**
 * Commands matching `query`: every query word must appear in the title (case-insensitive),
 * best first — titles starting with the query, then word starts, then anywhere.
 */
export function filterCommands(commands: Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return commands;
  const scored: { c: Command; score: number }[] = [];
  for (const c of commands) {
    const title = c.title.toLowerCase();
    if (!words.every((w) => title.includes(w))) continue;
    let score = 0;
    if (title.startsWith(words[0])) score += 10;
    for (const w of words) if (new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).test(title)) score += 2;
    scored.push({ c, score });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.c);
}
