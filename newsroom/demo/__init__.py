"""Demo content: the vocabulary, the articles and the loader behind `manage.py load_demo`."""
