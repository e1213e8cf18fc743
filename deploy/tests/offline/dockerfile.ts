import { Copy, DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";

/** dockerfile-utils' errors (not its warnings), as "line N: message". */
export function dockerfileErrors(text: string): string[] {
  const errorSeverity = 1; // vscode-languageserver-types DiagnosticSeverity.Error
  return validate(text)
    .filter((d) => d.severity === errorSeverity)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

/** The instructions of the last stage: what the image that runs is made of. */
export function finalStage(text: string): Instruction[] {
  const dockerfile = DockerfileParser.parse(text);
  const lastFrom = dockerfile.getFROMs().at(-1);
  if (!lastFrom) return [];
  const start = lastFrom.getRange().start.line;
  return dockerfile.getInstructions().filter((i) => i.getRange().start.line >= start);
}

/** The exec-form (JSON) arguments of an instruction, or undefined in shell form. */
export function execForm(instruction: Instruction | undefined): string[] | undefined {
  const json = instruction?.getArgumentsContent()?.trim();
  if (!json?.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The sources of the stage's COPY instructions that read the build context (not --from). */
export function contextSources(stage: Instruction[]): string[] {
  return stage
    .filter((i): i is Copy => i instanceof Copy && i.getFromFlag() === null)
    .flatMap((copy) =>
      copy
        .getArguments()
        .slice(0, -1)
        .map((a) => a.getValue()),
    );
}
