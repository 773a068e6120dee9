// Chaînes françaises du profil de la personne et de son adresse (mêmes clés que profile.en.ts).
import type { ProfileMessages } from "./profile.en";

export const profileFr: ProfileMessages = {
  heading: "Profil",
  save: "Enregistrer le profil",
  saved: "Profil enregistré.",
  nameOnCertificates:
    "Votre nom figure sur les certificats délivrés à partir de maintenant. Les certificats déjà délivrés gardent le nom avec lequel ils l’ont été.",
  portalName:
    "Votre nom vient du portail des membres par lequel vous vous connectez : corrigez-le là-bas, il sera repris ici à votre prochaine connexion.",
  emailHeading: "Adresse courriel",
  currentEmail: "Votre adresse : {{email}}",
  verified: "Vérifiée.",
  unverified: "Pas encore vérifiée : un lien pour la confirmer a été envoyé à cette adresse.",
  unverifiedBlocks:
    "Une adresse non vérifiée ne bloque rien : vous pouvez faire les études de cas et obtenir des certificats. La confirmer garantit que les liens de réinitialisation du mot de passe et les avis de certificat vous parviennent.",
  sendAgain: "Renvoyer le lien",
  sentAgain: "Un nouveau lien est en route vers votre adresse. Il est valide 24 heures.",
  alreadyVerified: "Cette adresse est déjà vérifiée.",
  againThrottled:
    "Des liens ont déjà été envoyés plusieurs fois cette heure-ci. Attendez {{minutes}} minute(s) et réessayez.",
  newEmail: "Nouvelle adresse courriel",
  emailPassword: "Mot de passe actuel",
  emailHint:
    "Nous envoyons un lien à la nouvelle adresse. Votre compte garde son adresse actuelle jusqu’à ce que le lien soit utilisé; toutes les autres sessions sont alors déconnectées.",
  submitEmail: "Changer d’adresse courriel",
  changeRequested:
    "Consultez la boîte de réception de la nouvelle adresse : le lien qui y a été envoyé est valide 24 heures. D’ici là, vous vous connectez toujours avec votre adresse actuelle.",
  pendingChange: "Un changement pour {{masked}} attend le lien qui y a été envoyé.",
  changeThrottled: "Trop de changements d’adresse cette heure-ci. Attendez {{minutes}} minute(s) et réessayez.",
  portalEmail:
    "Votre adresse vient du portail des membres par lequel vous vous connectez : changez-la là-bas. Votre langue peut être changée ici.",
  errors: {
    sameEmail: "C’est déjà votre adresse.",
  },
  verify: {
    title: "Confirmez votre adresse courriel",
    changeTitle: "Confirmez votre nouvelle adresse courriel",
    intro: "Confirmez que {{masked}} est bien votre adresse.",
    introChange:
      "Utiliser {{masked}} comme adresse du compte à partir de maintenant. Toutes les autres sessions du compte seront déconnectées.",
    submit: "Confirmer",
    verified: "Votre adresse est vérifiée. Merci.",
    changed:
      "Votre adresse est changée : connectez-vous désormais avec la nouvelle. Vos autres sessions ont été déconnectées.",
    toAccount: "Aller à mon compte",
    toLogin: "Se connecter",
    invalid: "Ce lien n’est pas valide. Demandez-en un nouveau depuis la page de votre compte.",
    expired: "Ce lien a expiré. Demandez-en un nouveau depuis la page de votre compte.",
    used: "Ce lien a déjà été utilisé.",
    taken:
      "Un autre compte utilise maintenant cette adresse : rien n’a été changé. Connectez-vous et choisissez une autre adresse, ou connectez-vous avec celle-ci.",
    stale: "L’adresse de votre compte a changé depuis l’envoi de ce lien : rien n’a été changé.",
  },
  mail: {
    greeting: "Bonjour {{name}},",
    verify: {
      subject: "Confirmez votre adresse courriel pour Vignette",
      body: "Bienvenue dans Vignette, la formation par études de cas de {{regulator}}. Confirmez que cette adresse est bien la vôtre, pour que les liens de réinitialisation du mot de passe et les avis de certificat vous parviennent.",
      action: "Confirmer mon adresse",
      expiry: "Le lien sert une fois, dans un délai de {{hours}} heures.",
      ignore: "Si vous n’avez rien demandé, ignorez ce message : rien ne change tant que le lien n’est pas utilisé.",
    },
    change: {
      subject: "Confirmez votre nouvelle adresse courriel pour Vignette",
      body: "Vous avez demandé d’utiliser cette adresse pour votre compte Vignette ({{regulator}}). Votre compte garde son adresse actuelle jusqu’à ce que vous confirmiez celle-ci.",
    },
    notice: {
      subject: "L’adresse courriel de votre compte Vignette est en cours de changement",
      body: "Une personne connectée à votre compte a demandé de remplacer son adresse par {{masked}}.",
      notYou:
        "Si ce n’était pas vous, choisissez un nouveau mot de passe maintenant : cela déconnecte toutes les sessions et annule le changement, qui n’est fait qu’une fois la nouvelle adresse confirmée.",
      action: "Choisir un nouveau mot de passe",
      stays:
        "Si c’était vous, il n’y a rien à faire ici : confirmez la nouvelle adresse depuis le message qui y a été envoyé.",
    },
  },
};
