// What the support pages share: labels, the new-ticket form and its request, the rules the API applies.
import type { TicketCategory, TicketCreate, TicketPriority, TicketStatus } from "../../api/types";

export const STATUSES: readonly TicketStatus[] = ["open", "in_progress", "resolved", "closed"];
export const PRIORITIES: readonly TicketPriority[] = ["low", "medium", "high", "urgent"];
export const CATEGORIES: readonly TicketCategory[] = ["general", "technical", "billing", "account", "containers", "vps"];

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  resolved: "Resolved",
  closed: "Closed",
};
export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };
export const CATEGORY_LABEL: Record<TicketCategory, string> = {
  general: "General",
  technical: "Technical",
  billing: "Billing",
  account: "Account",
  containers: "Containers",
  vps: "VPS",
};

export const SUBJECT_MAX = 200;
export const MESSAGE_MAX = 10_000;

/** Filters of a ticket list, as the URL's query says them (unknown values are ignored). */
export interface TicketFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
}

function pick<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((item) => item === value);
}

export function filtersFrom(search: URLSearchParams): TicketFilters {
  const filters: TicketFilters = {};
  const status = pick(STATUSES, search.get("status"));
  const priority = pick(PRIORITIES, search.get("priority"));
  const category = pick(CATEGORIES, search.get("category"));
  if (status) filters.status = status;
  if (priority) filters.priority = priority;
  if (category) filters.category = category;
  return filters;
}

export interface TicketForm {
  subject: string;
  message: string;
  priority: TicketPriority;
  category: TicketCategory;
  /** "" (none) or "container:<id>" / "vps:<id>". */
  resource: string;
}

export const emptyTicket: TicketForm = { subject: "", message: "", priority: "medium", category: "general", resource: "" };

/** The form's own checks, by API field name, before anything is sent (the API checks the same again). */
export function checkTicket(form: TicketForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.subject.trim()) problems.subject = "Say in a few words what it is about.";
  else if (form.subject.length > SUBJECT_MAX) problems.subject = `At most ${SUBJECT_MAX} characters.`;
  if (!form.message.trim()) problems.message = "Describe the problem or question.";
  else if (form.message.length > MESSAGE_MAX) problems.message = `At most ${MESSAGE_MAX.toLocaleString("en")} characters.`;
  return problems;
}

export function toTicketRequest(form: TicketForm): TicketCreate {
  const body: TicketCreate = {
    subject: form.subject.trim().replace(/\s+/g, " "),
    message: form.message.trim(),
    priority: form.priority,
    category: form.category,
  };
  const [kind, id] = form.resource.split(":", 2);
  if ((kind === "container" || kind === "vps") && id) body.resource = { kind, id };
  return body;
}

/** What a customer may do with a ticket in this status. */
export function customerActions(status: TicketStatus): { reply: boolean; close: boolean; reopen: boolean } {
  return {
    reply: status !== "closed",
    close: status !== "closed",
    reopen: status === "resolved" || status === "closed",
  };
}
