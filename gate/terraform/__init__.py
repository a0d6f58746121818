"""Terraform as written: one parser for ``.tf`` and ``.tf.json``, module calls, and the projects of a repository."""
