"""The stakeholder pages, a module per part: map and board, criteria, analyses, engagement,
import and export."""
