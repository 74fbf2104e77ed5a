// What each audit action means, for people reading the trail (the API's catalogue:
// chalicelib/domain/audit/entities.py ACTIONS). Actions not listed are shown as they are.
export const ACTIONS: Record<string, string> = {
  "user.registered": "Account created",
  "auth.login": "Signed in",
  "auth.login_failed": "Sign-in with a wrong password",
  "auth.login_refused": "Sign-in to a suspended account",
  "auth.logout": "Signed out",
  "auth.password_changed": "Password changed",
  "user.suspended": "Account suspended",
  "user.unsuspended": "Suspension lifted",
  "user.role_changed": "Platform role changed",
  "member.role_changed": "Member role changed",
  "credentials.changed": "API key or secret changed",
  "host.registered": "Host registered",
  "host.deleted": "Host removed",
  "billing.adjustment": "Manual credit or debit",
  "billing.suspended": "Suspended for non-payment",
  "billing.resumed": "Resumed after a top-up",
  "billing.terminated": "Terminated after suspension",
  "container.deleted": "Container deleted",
  "payment_method.deleted": "Payment method removed",
  "cluster.registered": "Cluster registered",
  "cluster.updated": "Cluster changed",
  "cluster.deleted": "Cluster removed",
};

export function describe(action: string): string {
  return ACTIONS[action] ?? action;
}
