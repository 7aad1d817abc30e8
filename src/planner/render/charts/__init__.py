"""Charts of the plan: one data model drawn in the terminal (Rich), as SVG and as PNG."""
