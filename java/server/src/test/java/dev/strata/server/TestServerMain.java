package dev.strata.server;

/**
 * Starts the HTTP server over the in-memory test double, for the JS suite (test-js/) and manual
 * checks: prints the URL once it listens, runs until killed.
 * Arguments: [port] [token]; port 0 picks a free one.
 */
public final class TestServerMain {

    private TestServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        ServerOptions options = ServerOptions.defaults().withPort(port).withAllowReset(true);
        if (args.length > 1) {
            java.util.Map<String, String> tokens = new java.util.HashMap<>();
            tokens.put(args[1], null);
            options = options.withAuthTokens(tokens);
        }
        StrataServer server = new StrataServer(new InMemoryStrata(), options).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("http://127.0.0.1:" + server.port());
        System.out.flush();
        server.join();
    }
}
