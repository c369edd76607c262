package dev.parley.signaling.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web app's own paths, which are not files: an invite link ({@code /join/<code>}, the form
 * signaling writes into invites) and a room ({@code /room/<id>}) both load the app's page, which
 * reads the path itself. Everything else under {@code /} is the app's static files.
 */
@Path("/")
public class AppRoutes {

    private static final String PAGE = "META-INF/resources/index.html";

    private final byte[] page;

    AppRoutes() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(PAGE)) {
            page = in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("join/{code}")
    @Produces(MediaType.TEXT_HTML)
    public Response invite() {
        return page();
    }

    @GET
    @Path("room/{roomId}")
    @Produces(MediaType.TEXT_HTML)
    public Response room() {
        return page();
    }

    private Response page() {
        if (page == null) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("the web app is not part of this build").build();
        }
        return Response.ok(page).header("Cache-Control", "no-cache").build();
    }
}
