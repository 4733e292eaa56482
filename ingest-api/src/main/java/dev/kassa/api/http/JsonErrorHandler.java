package dev.kassa.api.http;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself, before a request reaches Javalin — a malformed URI, a
 * control character in a header, headers too large — in the API's one error shape instead of
 * Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        ApiException error = code >= 400 && code <= 499
                ? ApiException.clientError(code, "invalid_request",
                        "the request cannot be processed: " + (message == null ? "malformed request" : message))
                : new ApiException(ErrorCode.INTERNAL_ERROR, "an internal error occurred; it has been logged");
        ApiResponse body = ErrorMapper.render(error);
        response.setStatus(body.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorMapper.JSON);
        response.write(true, ByteBuffer.wrap(body.body()), callback);
    }
}
