package io.tidemark.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns the API's errors into JSON answers: a bad parameter is 400 naming it and what is allowed,
 * an unknown target or run is 404 with the reason.
 */
public class ApiErrors {

  @ServerExceptionMapper
  public Response badParameter(BadParameterException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.getMessage());
    body.put("parameter", e.parameter());
    body.put("allowed", e.allowed());
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(body)
        .build();
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return Response.status(Response.Status.NOT_FOUND)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", String.valueOf(e.getMessage())))
        .build();
  }
}
