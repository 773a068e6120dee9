// A generated large case for the studio graph's benchmark and tests: the demo case's metadata and
// standards with `count` nodes in stages (a scene, a decision of three choices, two scenes that
// rejoin and a reflection after the risky choice), every stage leading to the next and the last to
// three outcomes. Valid, so it can be published; about the size of a regulator's largest case.

/** A case file (JSON value) with exactly `count` nodes (at least 10), built on `base` (a valid case). */
export function largeCase(base: Record<string, unknown>, count = 847, slug?: string): Record<string, unknown> {
  if (count < 10) throw new Error("largeCase: at least 10 nodes");
  const text = (en: string, fr: string) => ({ en, fr });
  const nodes: Record<string, unknown> = {};
  const ending = ["end-good", "end-mixed", "end-poor"];
  // Each stage is 5 nodes; the tail is a final decision and three outcomes (4), plus fillers.
  const stages = Math.floor((count - 4) / 5);
  const fillers = count - 4 - stages * 5;
  const first = (i: number) => (i < stages ? `s${i}` : fillers > 0 ? "f0" : "q-final");
  for (let i = 0; i < stages; i++) {
    const next = first(i + 1);
    nodes[`s${i}`] = {
      kind: "scene",
      title: text(`Stage ${i + 1}`, `Étape ${i + 1}`),
      body: text(`What happens at stage ${i + 1}.`, `Ce qui se passe à l'étape ${i + 1}.`),
      next: `q${i}`,
    };
    nodes[`q${i}`] = {
      kind: "decision",
      prompt: text(`What do you do at stage ${i + 1}?`, `Que faites-vous à l'étape ${i + 1}?`),
      choices: [
        {
          id: "consult",
          label: text("Consult the standard first.", "Consulter d'abord la norme."),
          next: `a${i}`,
          effects: [{ standard: "coto-boundaries:2.1", points: 2 }],
        },
        {
          id: "wait",
          label: text("Wait and see.", "Attendre."),
          next: `b${i}`,
          effects: [{ standard: "coto-boundaries:1.2", points: 1 }],
        },
        {
          id: "cross",
          label: text("Cross the line.", "Franchir la limite."),
          next: `r${i}`,
          effects: [{ standard: "coto-boundaries:2.1", points: -1 }],
        },
      ],
    };
    nodes[`a${i}`] = { kind: "scene", body: text(`It goes well (${i + 1}).`, `Tout va bien (${i + 1}).`), next };
    nodes[`b${i}`] = { kind: "scene", body: text(`Nothing changes (${i + 1}).`, `Rien ne change (${i + 1}).`), next };
    nodes[`r${i}`] = {
      kind: "reflection",
      prompt: text(`Why did stage ${i + 1} go wrong?`, `Pourquoi l'étape ${i + 1} a-t-elle mal tourné?`),
      next,
    };
  }
  for (let i = 0; i < fillers; i++) {
    nodes[`f${i}`] = {
      kind: "scene",
      body: text(`Interlude ${i + 1}.`, `Intermède ${i + 1}.`),
      next: i + 1 < fillers ? `f${i + 1}` : "q-final",
    };
  }
  nodes["q-final"] = {
    kind: "decision",
    prompt: text("How do you close the file?", "Comment fermez-vous le dossier?"),
    choices: ending.map((end, i) => ({
      id: `close-${i + 1}`,
      label: text(`Closing ${i + 1}.`, `Clôture ${i + 1}.`),
      next: end,
      effects: [{ standard: "coto-boundaries:1.1", points: 2 - 2 * i }],
    })),
  };
  for (const end of ending) {
    nodes[end] = {
      kind: "outcome",
      title: text(`Outcome ${end}`, `Issue ${end}`),
      body: text("The case ends here.", "Le cas se termine ici."),
    };
  }
  return { ...base, ...(slug ? { slug } : {}), start: first(0), nodes };
}
