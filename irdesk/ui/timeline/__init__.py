"""The timeline tab: every dated thing in the case on one axis, filtered and zoomed in SQL."""
