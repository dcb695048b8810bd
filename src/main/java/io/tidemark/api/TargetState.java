package io.tidemark.api;

/** A target's state at a glance, as the API and the web page show it. */
public enum TargetState {
  IN_SYNC,
  DRIFTED,
  APPLYING,
  FAILED,
  SUSPENDED,
  UNKNOWN
}
