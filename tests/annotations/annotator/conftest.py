"""Fixtures for the annotator's services, API and pages."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from projects.models import Role
from projects.services import membership_set
from tests.factories import UserFactory


@pytest.fixture
def second_analyst(project):
    user = cast(User, UserFactory(username="second"))
    membership_set(project=project, user=user, role=Role.ANALYST)
    return user


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
