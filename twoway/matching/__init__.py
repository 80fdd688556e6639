"""Matching: proposing mentor-mentee pairs for a program.

``engine`` is the pure numerical part (numpy and scipy, no Django import): arrays describing the
participants go in, an assignment with a score breakdown and a plain-language reason for every
pair and every unmatched mentee comes out.
"""
