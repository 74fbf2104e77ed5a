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
// Teams (/collaboration): members, invitations, projects.
export type OrgRole = Membership["role"];
export type Member = Schemas["MemberOut"];
export type MemberUpdate = Schemas["MemberUpdateIn"];
export type Invite = Schemas["InviteOut"];
export type InviteCreated = Schemas["InviteCreatedOut"];
export type InvitePreview = Schemas["InvitePreviewOut"];
export type Joined = Schemas["JoinedOut"];
export type Project = Schemas["ProjectOut"];
