"""The Post-incident tab's panels: the summary, the gaps, and the action items that fix them."""
