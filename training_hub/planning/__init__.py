"""The cooperative's training year: training needs, the annual plan, budgets per funding source and the
training figures of the bilancio sociale (DESIGN.md, "The cooperative's training year")."""
