/**
 * Implementation order: a topological order of the dependency graph that
 * follows the model's proposed order wherever the dependencies allow. A cycle
 * is broken deterministically: the earliest blocked file (in the proposed
 * order) is released, dropping its dependencies on files not yet placed.
 */
export interface OrderResult {
  order: string[];
  brokenDependencies: { file: string; dependsOn: string }[];
  warnings: string[];
}

export function implementationOrder(files: string[], dependsOn: Record<string, string[]>, proposed: string[] = []): OrderResult {
  const known = new Set(files);
  const rank = new Map<string, number>();
  for (const f of proposed) if (known.has(f) && !rank.has(f)) rank.set(f, rank.size);
  for (const f of files) if (!rank.has(f)) rank.set(f, rank.size);
  const byRank = (a: string, b: string) => rank.get(a)! - rank.get(b)!;

  const warnings: string[] = [];
  const deps = new Map<string, Set<string>>();
  for (const f of files) {
    const list = new Set<string>();
    for (const d of dependsOn[f] ?? []) {
      if (d === f) warnings.push(`${f} depends on itself; ignored`);
      else if (!known.has(d)) warnings.push(`${f} depends on ${d}, which is not a file of the repository; ignored`);
      else list.add(d);
    }
    deps.set(f, list);
  }

  const order: string[] = [];
  const placed = new Set<string>();
  const brokenDependencies: OrderResult["brokenDependencies"] = [];
  const pending = [...files].sort(byRank);
  while (pending.length > 0) {
    let index = pending.findIndex((f) => [...deps.get(f)!].every((d) => placed.has(d)));
    if (index < 0) {
      index = 0;
      const file = pending[0]!;
      const unmet = [...deps.get(file)!].filter((d) => !placed.has(d)).sort(byRank);
      for (const d of unmet) {
        brokenDependencies.push({ file, dependsOn: d });
        deps.get(file)!.delete(d);
      }
      warnings.push(`dependency cycle: ${file} was placed before ${unmet.join(", ")} (its dependency on them is dropped from the order)`);
    }
    const [file] = pending.splice(index, 1);
    order.push(file!);
    placed.add(file!);
  }
  return { order, brokenDependencies, warnings };
}
