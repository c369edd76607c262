package dev.parley.testing;

/**
 * The users of the demo realm ({@code dev/keycloak/parley-realm.json}) and what each may do.
 */
public enum DemoUser {
    /** Has {@code room-creator}. */
    ALICE("alice", "alice-pw"),
    /** Has {@code room-creator}. */
    BOB("bob", "bob-pw"),
    /** Has no Parley role: may join, may not create rooms. */
    CAROL("carol", "carol-pw"),
    /** Has {@code room-creator} and {@code parley-admin}. */
    DAVE("dave", "dave-pw");

    private final String username;
    private final String password;

    DemoUser(String username, String password) {
        this.username = username;
        this.password = password;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }
}
