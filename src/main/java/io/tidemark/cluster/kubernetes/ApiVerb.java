package io.tidemark.cluster.kubernetes;

/** The closed set of requests Tidemark sends to a Kubernetes API server, as counted. */
public enum ApiVerb {
  APPLY,
  DRY_RUN,
  DISCOVERY,
  LIST,
  GET,
  DELETE,
  PATCH
}
