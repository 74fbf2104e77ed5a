import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";

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
const Resources = lazy(() => import("../pages/resources/Resources"));
const Marketplace = lazy(() => import("../pages/marketplace/Marketplace"));
const TemplateDetail = lazy(() => import("../pages/marketplace/TemplateDetail"));
const Packages = lazy(() => import("../pages/admin/Packages"));

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
          <Route path="/admin" element={<Navigate to="/admin/hosts" replace />} />
          <Route
            path="/admin/hosts"
            element={
              <RequireAdmin>
                <Hosts />
              </RequireAdmin>
            }
          />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
