// English strings for the learner's own profile and address (/me/account, /verify-email) and the
// mails that prove an address (merged under "profile." in app/i18n/index.ts).
export const profileEn = {
  heading: "Profile",
  save: "Save profile",
  saved: "Profile saved.",
  nameOnCertificates:
    "Your name is printed on the certificates issued from now on. Certificates already issued keep the name they were issued with.",
  portalName:
    "Your name comes from the registrant portal you sign in with: correct it there, and it is brought here at your next sign-in.",
  emailHeading: "Email address",
  currentEmail: "Your address: {{email}}",
  verified: "Verified.",
  unverified: "Not verified yet: a link to confirm it was sent to this address.",
  unverifiedBlocks:
    "An unverified address blocks nothing: you can play cases and earn certificates. Confirming it makes sure password reset links and certificate notices reach you.",
  sendAgain: "Send the link again",
  sentAgain: "A new link is on its way to your address. It works for 24 hours.",
  alreadyVerified: "This address is already verified.",
  againThrottled: "Links were already sent several times this hour. Wait {{minutes}} minute(s) and try again.",
  newEmail: "New email address",
  emailPassword: "Current password",
  emailHint:
    "We send a link to the new address. Your account keeps its current address until the link is used, and every other session is then signed out.",
  submitEmail: "Change email address",
  changeRequested:
    "Check the inbox of the new address: the link sent there works for 24 hours. Until it is used, you keep signing in with your current address.",
  pendingChange: "A change to {{masked}} waits for the link sent there.",
  changeThrottled: "Too many address changes this hour. Wait {{minutes}} minute(s) and try again.",
  portalEmail:
    "Your address comes from the registrant portal you sign in with: change it there. Your language can be changed here.",
  errors: {
    sameEmail: "This is already your address.",
  },
  verify: {
    title: "Confirm your email address",
    changeTitle: "Confirm your new email address",
    intro: "Confirm that {{masked}} is your address.",
    introChange:
      "Use {{masked}} as your account's address from now on. Every other session of the account will be signed out.",
    submit: "Confirm",
    verified: "Your address is verified. Thank you.",
    changed: "Your address is changed: sign in with the new one from now on. Your other sessions were signed out.",
    toAccount: "Go to my account",
    toLogin: "Sign in",
    invalid: "This link is not valid. Ask for a new one from your account page.",
    expired: "This link has expired. Ask for a new one from your account page.",
    used: "This link has already been used.",
    taken:
      "Another account uses this address now, so nothing was changed. Sign in and choose another address, or sign in with that one.",
    stale: "Your account's address changed since this link was sent: nothing was changed.",
  },
  mail: {
    greeting: "Hello {{name}},",
    verify: {
      subject: "Confirm your email address for Vignette",
      body: "Welcome to Vignette, the case-study training of {{regulator}}. Confirm that this address is yours, so that password reset links and certificate notices reach you.",
      action: "Confirm my address",
      expiry: "The link works once, within {{hours}} hours.",
      ignore: "If you did not ask for this, ignore this message: nothing changes unless the link is used.",
    },
    change: {
      subject: "Confirm your new email address for Vignette",
      body: "You asked to use this address for your Vignette account ({{regulator}}). Your account keeps its current address until you confirm this one.",
    },
    notice: {
      subject: "Your Vignette email address is being changed",
      body: "Someone signed in to your account asked to change its address to {{masked}}.",
      notYou:
        "If this was not you, choose a new password now: it signs out every session and cancels the change, which is made only when the new address is confirmed.",
      action: "Choose a new password",
      stays: "If it was you, there is nothing to do here: confirm the new address from the message sent to it.",
    },
  },
};

export type ProfileMessages = typeof profileEn;
