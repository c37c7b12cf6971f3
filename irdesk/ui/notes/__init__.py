"""Notes: the lazy list model, the phase tab, the editor and its Markdown highlighter."""
