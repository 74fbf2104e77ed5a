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
import { PublicLayout } from "./PublicLayout";
import { useFormErrors } from "./useFormErrors";

const LABELS = { name: "Name", email: "Email", password: "Password" };

export default function Register() {
  useDocumentTitle("Create an account");
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const register = useMutation({
    mutationFn: async () => {
      await unwrap(api.POST("/api/auth/register", { body: { name, email, password } }));
      return unwrap(api.POST("/api/auth/login", { body: { email, password } }));
    },
    onSuccess: (result) => {
      signIn(result);
      void navigate(returnPath(location.state), { replace: true });
    },
    onError: fail,
  });

  // Not while signing up: the new session shows before the mutation says it succeeded.
  if (session && !register.isSuccess && !register.isPending) return <Navigate to="/dashboard" replace />;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    register.mutate();
  };

  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">Create an account</h1>
        <p className="mt-1 text-sm text-slate-700">
          Already have one?{" "}
          <Link to="/login" state={location.state as unknown} className="font-medium text-blue-800 underline">
            Sign in
          </Link>
        </p>
        <div className="mt-6">
          <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
        </div>
        <form onSubmit={submit} noValidate className="mt-2 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <TextField
            id={fieldId("name")}
            label="Name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
            required
          />
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
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.fields.password}
            hint="At least 8 characters."
            required
          />
          <Button type="submit" busy={register.isPending} className="w-full">
            Create account
          </Button>
        </form>
      </div>
    </PublicLayout>
  );
}
