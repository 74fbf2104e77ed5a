import { fieldId } from "../../ui/ErrorSummary";
import { SelectField } from "../../ui/Field";
import { useProjects } from "./queries";

/** Which project a new container or VPS goes into: shown once the organization has projects. */
export function ProjectField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (project: string) => void;
  error: string | undefined;
}) {
  const projects = useProjects().data?.projects ?? [];
  if (projects.length === 0 && !error) return null;
  return (
    <SelectField
      id={fieldId("project_id")}
      label="Project"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint="Members limited to projects see only what is in theirs."
    >
      <option value="">No project</option>
      {projects.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </SelectField>
  );
}
