import { useSession } from "../auth/session";
import { LinkButton } from "../ui/Button";
import { useDocumentTitle } from "../ui/Page";
import { PublicLayout } from "./PublicLayout";

const features = [
  {
    title: "Deploy containers",
    text: "Pick an image, CPU and memory, ports, environment and volumes. ContainerStacks places it on a Docker host with room for it and tells you when it runs.",
  },
  {
    title: "Watch them",
    text: "Live status, logs you can follow and CPU, memory and network charts for every container.",
  },
  {
    title: "Work as a team",
    text: "Everything belongs to an organization; switch between the organizations you are a member of.",
  },
];

export default function Landing() {
  useDocumentTitle("");
  const { session } = useSession();
  return (
    <PublicLayout>
      <div className="max-w-3xl">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">
          Run your containers without running servers.
        </h1>
        <p className="mt-4 text-lg text-slate-700">
          ContainerStacks hosts Docker containers for you: deploy in a minute, see logs and metrics, stop, scale or
          remove them whenever you like.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          {session ? (
            <LinkButton to="/dashboard">Go to your dashboard</LinkButton>
          ) : (
            <>
              <LinkButton to="/register">Create an account</LinkButton>
              <LinkButton to="/login" variant="secondary">
                Sign in
              </LinkButton>
            </>
          )}
        </div>
      </div>
      <section aria-labelledby="features" className="mt-12">
        <h2 id="features" className="sr-only">
          What you get
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3">
          {features.map((f) => (
            <li key={f.title} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <h3 className="font-semibold text-slate-900">{f.title}</h3>
              <p className="mt-2 text-sm text-slate-700">{f.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </PublicLayout>
  );
}
