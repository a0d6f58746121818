"""Change diagrams: one graph of what a plan adds, modifies, replaces and removes (``graph``), drawn as Mermaid
for the PR comment, DOT/SVG/PNG through Graphviz, and draw.io XML."""
