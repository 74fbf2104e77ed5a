import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";

import { RequireAdmin, RequireAuth } from "../auth/RequireAuth";
import { OrganizationProvider } from "../org/OrganizationProvider";
import { Loading } from "../ui/States";
import { Layout } from "./Layout";

// Every page is its own chunk: the first load carries only what the page opened needs.
const Landing = lazy(() => import("../pages/Landing"));
const Login = lazy(() => import("../pages/Login"));
const Register = lazy(() => import("../pages/Register"));
const NotFound = lazy(() => import("../pages/NotFound"));
const Dashboard = lazy(() => import("../pages/Dashboard"));
const Profile = lazy(() => import("../pages/Profile"));
const ContainerList = lazy(() => import("../pages/containers/ContainerList"));
const NewContainer = lazy(() => import("../pages/containers/NewContainer"));
const ContainerShell = lazy(() => import("../pages/containers/ContainerShell"));
const Overview = lazy(() => import("../pages/containers/Overview"));
const Logs = lazy(() => import("../pages/containers/Logs"));
const Metrics = lazy(() => import("../pages/containers/Metrics"));
const Hosts = lazy(() => import("../pages/admin/Hosts"));
const Billing = lazy(() => import("../pages/billing/Billing"));
const Payments = lazy(() => import("../pages/admin/Payments"));
const SupportList = lazy(() => import("../pages/support/SupportList"));
const NewTicket = lazy(() => import("../pages/support/NewTicket"));
const TicketPage = lazy(() => import("../pages/support/TicketPage"));
const SupportDesk = lazy(() => import("../pages/admin/SupportDesk"));
const SupportTicket = lazy(() => import("../pages/admin/SupportTicket"));
const AdminLayout = lazy(() => import("../pages/admin/AdminLayout"));
const AdminOverview = lazy(() => import("../pages/admin/Overview"));
const AdminUsers = lazy(() => import("../pages/admin/Users"));
const AdminOrganizations = lazy(() => import("../pages/admin/Organizations"));
const AdminOrganization = lazy(() => import("../pages/admin/OrganizationDetail"));
const AdminAudit = lazy(() => import("../pages/admin/AuditLog"));
const OrganizationAudit = lazy(() => import("../pages/audit/OrganizationAudit"));
const Notifications = lazy(() => import("../pages/notifications/Notifications"));
const Webhooks = lazy(() => import("../pages/notifications/Webhooks"));
const VpsPage = lazy(() => import("../pages/vps/Vps"));
const ImagesPage = lazy(() => import("../pages/images/Images")); // issue 13 §3
const Providers = lazy(() => import("../pages/admin/providers/Providers"));
const Collaboration = lazy(() => import("../pages/teams/Collaboration"));
const AcceptInvite = lazy(() => import("../pages/teams/AcceptInvite"));
const Resources = lazy(() => import("../pages/resources/Resources"));
const Marketplace = lazy(() => import("../pages/marketplace/Marketplace"));
const TemplateDetail = lazy(() => import("../pages/marketplace/TemplateDetail"));
const Packages = lazy(() => import("../pages/admin/Packages"));
const Monitoring = lazy(() => import("../pages/monitoring/Monitoring"));
const Clusters = lazy(() => import("../pages/admin/Clusters"));
const Backups = lazy(() => import("../pages/backups/Backups"));

function SignedIn() {
  return (
    <RequireAuth>
      <OrganizationProvider>
        <Layout />
      </OrganizationProvider>
    </RequireAuth>
  );
}

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Landing />} />
        <Route path="/login" element={<Login />} />
        <Route path="/register" element={<Register />} />
        <Route element={<SignedIn />}>
          <Route path="/dashboard" element={<Dashboard />} />
          <Route path="/profile" element={<Profile />} />
          <Route path="/containers" element={<ContainerList />} />
          <Route path="/containers/new" element={<NewContainer />} />
          <Route path="/containers/:id" element={<ContainerShell />}>
            <Route index element={<Overview />} />
            <Route path="logs" element={<Logs />} />
            <Route path="metrics" element={<Metrics />} />
          </Route>
          <Route path="/billing" element={<Billing />} />
          <Route path="/support" element={<SupportList />} />
          <Route path="/support/new" element={<NewTicket />} />
          <Route path="/support/:id" element={<TicketPage />} />
          <Route path="/audit" element={<OrganizationAudit />} />
          <Route path="/notifications" element={<Notifications />} />
          <Route path="/webhooks" element={<Webhooks />} />
          <Route path="/vps" element={<VpsPage />} />
          <Route path="/collaboration" element={<Collaboration />} />
          <Route path="/invites/:token" element={<AcceptInvite />} />
          <Route path="/resources" element={<Resources />} />
          <Route path="/marketplace" element={<Marketplace />} />
          <Route path="/marketplace/:slug" element={<TemplateDetail />} />
          <Route
            path="/admin/packages"
            element={
              <RequireAdmin>
                <Packages />
              </RequireAdmin>
            }
          />
          <Route path="/monitoring" element={<Monitoring />} />
          <Route path="/images" element={<ImagesPage />} />
          <Route path="/backups" element={<Backups />} />
          <Route
            path="/providers"
            element={
              <RequireAdmin>
                <Providers />
              </RequireAdmin>
            }
          />
          <Route
            path="/admin"
            element={
              <RequireAdmin>
                <AdminLayout />
              </RequireAdmin>
            }
          >
            <Route index element={<AdminOverview />} />
            <Route path="users" element={<AdminUsers />} />
            <Route path="organizations" element={<AdminOrganizations />} />
            <Route path="organizations/:id" element={<AdminOrganization />} />
            <Route path="audit" element={<AdminAudit />} />
            <Route path="hosts" element={<Hosts />} />
            <Route path="clusters" element={<Clusters />} />
            <Route path="payments" element={<Payments />} />
            <Route path="support" element={<SupportDesk />} />
            <Route path="support/:id" element={<SupportTicket />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
