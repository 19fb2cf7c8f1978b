"""Offline side of Jingwen: labelled data, synthesis, training and evaluation (imports ``service``)."""
