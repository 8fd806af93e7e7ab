"""Multi-step work with side effects, one module per concern:
``uploads`` (store, import, roll back), ``reference`` (areas, populations,
categories from CSV), ``trends`` (recalculate and store statistics)."""
