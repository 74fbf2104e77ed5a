import { useMutation } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";

import { api, unwrap } from "../api/client";
import { returnPath } from "../auth/returnPath";
import { useSession } from "../auth/session";
import { Button } from "../ui/Button";
import { ErrorSummary, fieldId } from "../ui/ErrorSummary";
import { TextField } from "../ui/Field";
import { useDocumentTitle } from "../ui/Page";
import { Alert } from "../ui/States";
import { PublicLayout } from "./PublicLayout";
import { useFormErrors } from "./useFormErrors";

const FIELDS = new Set(["email", "password"]);


export default function Login() {
  useDocumentTitle("Sign in");
  const { session, signIn, notice } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => FIELDS.has(f));
  const login = useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/login", { body: { email, password } })),
    onSuccess: (result) => {
      signIn(result);
      void navigate(returnPath(location.state), { replace: true });
    },
    onError: fail,
  });

  // Not while signing in: the new session shows before the mutation says it succeeded.
  if (session && !login.isSuccess && !login.isPending) return <Navigate to="/dashboard" replace />;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    login.mutate();
  };

  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">Sign in</h1>
        <p className="mt-1 text-sm text-slate-700">
          New here?{" "}
          <Link to="/register" state={location.state as unknown} className="font-medium text-blue-800 underline">
            Create an account
          </Link>
        </p>
        <div className="mt-6 space-y-4">
          {notice ? <Alert tone="info">{notice}</Alert> : null}
          <ErrorSummary errors={errors} summaryRef={summary} labels={{ email: "Email", password: "Password" }} />
        </div>
        <form onSubmit={submit} noValidate className="mt-2 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <TextField
            id={fieldId("email")}
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.fields.email}
            required
          />
          <TextField
            id={fieldId("password")}
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.fields.password}
            required
          />
          <Button type="submit" busy={login.isPending} className="w-full">
            Sign in
          </Button>
        </form>
      </div>
    </PublicLayout>
  );
}
