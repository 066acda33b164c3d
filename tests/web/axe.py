"""axe-core (from the portal's npm devDependencies) run inside the page under test.

The script is injected by the test, never shipped with the portal. The
rules are those of WCAG 2.1 levels A and AA, the level ДСТУ EN 301 549:2022
(clause 9, web content) requires of public-sector sites.
"""

from __future__ import annotations

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "portal" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def audit(page, context: str | None = None) -> list[dict]:
    """axe's violations of WCAG 2.1 A/AA on the page as it is now (or inside ``context``, a selector)."""
    if not AXE_SCRIPT.exists():
        raise RuntimeError(f"{AXE_SCRIPT} is missing: run `make portal` (npm ci installs axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async ([context, tags]) => {
            const r = await axe.run(context ? document.querySelector(context) : document,
                                    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
            }));
        }""",
        [context, WCAG_21_AA],
    )
    return result


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """A readable list: rule, impact, node count and the first nodes with axe's reason."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip() if node['summary'] else ''}")
    return "\n".join(lines)
