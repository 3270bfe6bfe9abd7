"""Set-up commands run in the provider's own process (its settings, its database):
`people EMAIL:NUMBER:PASSWORD ...` and `client CLIENT_ID SECRET REDIRECT_URI`."""

import sys

import django


def main(argv):
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    command, *args = argv
    if command == "people":
        for spec in args:
            email, number, password = spec.split(":")
            user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
            user.email, user.last_name, user.first_name = email, number, email.split("@")[0]
            user.set_password(password)
            user.save()
    elif command == "client":
        client_id, secret, redirect_uri = args
        Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": client_id,
                "client_secret": secret,
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": redirect_uri,
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )


if __name__ == "__main__":
    main(sys.argv[1:])
