"""The responder's signing identity: a key and an X.509 certificate in the user's data folder."""
