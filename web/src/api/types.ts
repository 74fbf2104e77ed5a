// Names for the API's wire models, all generated from /api/openapi.json (see schema.d.ts).
import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["UserOut"];
export type LoginResult = Schemas["LoginOut"];
export type Membership = Schemas["MembershipOut"];
export type Container = Schemas["ContainerOut"];
export type ContainerStatus = Container["status"];
export type ContainerCreate = Schemas["ContainerCreateIn"];
export type ContainerList = Schemas["ContainerListOut"];
export type LogLine = Schemas["LogLineOut"];
export type Metrics = Schemas["MetricsOut"];
export type Host = Schemas["HostOut"];
export type HostCreate = Schemas["HostIn"];
export type ErrorBody = Schemas["ErrorBody"];
export type Wallet = Schemas["WalletOut"];
export type WalletStatus = Wallet["status"];
export type Transaction = Schemas["TransactionOut"];
export type TransactionList = Schemas["TransactionListOut"];
export type TopUp = Schemas["AddFundsOut"];
export type PaymentMethod = Schemas["PaymentMethodOut"];
export type MethodSetup = Schemas["MethodSetupOut"];
export type Invoice = Schemas["InvoiceOut"];
export type InvoiceList = Schemas["InvoiceListOut"];
export type Usage = Schemas["UsageOut"];
export type ResourceUsage = Schemas["ResourceUsageOut"];
export type Reconciliation = Schemas["ReconciliationOut"];
export type Ticket = Schemas["TicketOut"];
export type TicketThread = Schemas["ThreadOut"];
export type TicketReply = Schemas["ReplyOut"];
export type TicketList = Schemas["TicketListOut"];
export type TicketCreate = Schemas["TicketIn"];
export type TicketStatus = Ticket["status"];
export type TicketPriority = Ticket["priority"];
export type TicketCategory = Ticket["category"];
export type SupportAgent = Schemas["AgentOut"];
