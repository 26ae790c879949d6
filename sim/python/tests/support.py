"""Helpers the tests share."""

import math


def same(frame_value, json_value):
    """A DataFrame cell equals the CLI's JSON value exactly; a missing cell is JSON's null."""
    if json_value is None:
        return frame_value is None or (isinstance(frame_value, float) and math.isnan(frame_value))
    return frame_value == json_value
