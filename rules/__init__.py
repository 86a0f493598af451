"""The national rules (domain.md §7). Each module is a pluggy plugin registered under the
entry-point group ``nianbao``, exactly as a third-party rule pack would be."""
