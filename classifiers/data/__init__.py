"""Small reference tables the classifiers need, written for this project."""
