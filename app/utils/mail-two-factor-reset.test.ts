// The message a person gets when an admin resets their two-factor sign-in (admin.server.ts
// resetTwoFactor): in their language, naming the regulator, with the sign-in link and what to do if
// it was not asked for.
import { describe, expect, it } from "vitest";
import { composeMail, type Mail } from "./mail.server";

const mail = (locale: "en" | "fr", regulator: string): Mail => ({
  id: "m-1",
  to: "lost-phone@example.test",
  locale,
  brand: { name: regulator },
  origin: "https://vignette.example.org",
  content: { kind: "two_factor_reset", name: "Lee Staff", link: "https://vignette.example.org/login" },
});

describe("the two-factor reset message", () => {
  it("says what happened and links to sign-in, in English and in French", () => {
    const en = composeMail(mail("en", "College of Occupational Therapists"));
    expect(en.subject).toBe("Your two-factor sign-in was reset (College of Occupational Therapists)");
    expect(en.text).toContain("Hello Lee Staff,");
    expect(en.text).toContain("An administrator reset the two-factor sign-in of your account");
    expect(en.text).toContain("Sign in:\nhttps://vignette.example.org/login");
    expect(en.text).toContain("If you did not ask for this, tell your regulator's administrator now.");
    expect(en.html).toContain('href="https://vignette.example.org/login"');

    const fr = composeMail(mail("fr", "Ordre des ergothérapeutes"));
    expect(fr.subject).toBe("Votre connexion à deux facteurs a été réinitialisée (Ordre des ergothérapeutes)");
    expect(fr.text).toContain("Bonjour Lee Staff,");
    expect(fr.text).toContain("Se connecter:\nhttps://vignette.example.org/login");
    expect(fr.html).toContain('lang="fr"');
  });
});
