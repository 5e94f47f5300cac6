"""Python mass assignment in Django and DRF: request data spread into queryset updates
and model constructors (decoded JSON included), keys copied with setattr, and model
forms / serializers whose `Meta` makes every field writable bound to request data;
with explicit field lists, allow-listed keys and read-only uses as near misses."""

import pytest

from tests.analysis.security.python.scanning import marked_line, rules, scan

HEAD = """
import json

from django import forms
from django.http import JsonResponse
from django.views.generic import CreateView, UpdateView
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.models import Profile

EDITABLE = {"display_name", "bio"}
"""

POSITIVES = [
    (
        "queryset-update-with-decoded-json-body",
        """
def patch(request):
    changes = json.loads(request.body)
    Profile.objects.filter(user=request.user).update(**changes)  # <-
    return JsonResponse({})
""",
    ),
    (
        "queryset-update-with-post-dict",
        """
def save(request):
    Profile.objects.filter(user=request.user).update(**request.POST.dict())  # <-
    return JsonResponse({})
""",
    ),
    (
        "setattr-over-drf-data",
        """
@api_view(["PATCH"])
def patch_api(request):
    profile = Profile.objects.get(user=request.user)
    for key, value in request.data.items():
        setattr(profile, key, value)  # <-
    profile.save()
    return Response({})
""",
    ),
    (
        "model-constructor-with-post",
        """
def create(request):
    Profile(**request.POST).save()  # <-
    return JsonResponse({})
""",
    ),
    (
        "all-fields-model-form-bound-to-post",
        """
class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = "__all__"  # <-


def edit(request):
    form = ProfileForm(request.POST, instance=request.user.profile)
    form.save()
    return JsonResponse({})
""",
    ),
    (
        "exclude-serializer-updated-from-data",
        """
class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        exclude = ["user"]  # <-


@api_view(["PUT"])
def replace(request):
    serializer = ProfileSerializer(request.user.profile, data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data)
""",
    ),
    (
        "viewset-with-all-fields-serializer",
        """
class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"  # <-


class ProfileViewSet(viewsets.ModelViewSet):
    queryset = Profile.objects.all()
    serializer_class = ProfileSerializer
""",
    ),
    (
        "update-view-editing-every-field",
        """
class ProfileEdit(UpdateView):
    model = Profile
    fields = "__all__"  # <-
""",
    ),
    (
        "modelform-factory-with-all-fields",
        """
ProfileForm = forms.modelform_factory(Profile, fields="__all__")  # <-
""",
    ),
]

NEAR_MISSES = [
    (
        "explicit-fields-form-bound-to-post",
        """
class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "bio"]


def edit(request):
    form = ProfileForm(request.POST, instance=request.user.profile)
    form.save()
    return JsonResponse({})
""",
    ),
    (
        "all-fields-serializer-only-reads",
        """
class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"


@api_view(["GET"])
def show(request):
    return Response(ProfileSerializer(request.user.profile).data)
""",
    ),
    (
        "serializer-with-read-only-fields",
        """
class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"
        read_only_fields = ["user", "is_staff", "plan"]


@api_view(["PATCH"])
def patch_api(request):
    serializer = ProfileSerializer(request.user.profile, data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data)
""",
    ),
    (
        "create-view-with-listed-fields",
        """
class ProfileCreate(CreateView):
    model = Profile
    fields = ["display_name", "bio"]
""",
    ),
    (
        "comprehension-keeping-allow-listed-keys",
        """
@api_view(["PATCH"])
def patch_api(request):
    changes = {k: v for k, v in request.data.items() if k in EDITABLE}
    Profile.objects.filter(user=request.user).update(**changes)
    return Response({})
""",
    ),
    (
        "dict-with-keys-chosen-by-the-code",
        """
def patch(request):
    body = json.loads(request.body)
    changes = {"display_name": body["display_name"], "bio": body.get("bio", "")}
    Profile.objects.filter(user=request.user).update(**changes)
    return JsonResponse({})
""",
    ),
    (
        "setattr-loop-skipping-unknown-keys",
        """
@api_view(["PATCH"])
def patch_api(request):
    profile = Profile.objects.get(user=request.user)
    for key, value in request.data.items():
        if key not in EDITABLE:
            continue
        setattr(profile, key, value)
    profile.save()
    return Response({})
""",
    ),
    (
        "named-keyword-update",
        """
def rename(request):
    Profile.objects.filter(user=request.user).update(display_name=request.POST["name"])
    return JsonResponse({})
""",
    ),
]


@pytest.mark.parametrize(("case", "body"), POSITIVES, ids=[c[0] for c in POSITIVES])
def test_client_chosen_fields_are_reported(build, case, body):
    source = HEAD + body
    hits = [hit for hit in scan(build, source) if hit.rule_id == "mass-assignment"]
    assert [hit.line for hit in hits] == [marked_line(source)], hits


@pytest.mark.parametrize(("case", "body"), NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_chosen_or_validated_fields_are_quiet(build, case, body):
    assert "mass-assignment" not in rules(scan(build, HEAD + body))


def test_viewset_is_reported_at_its_serializer_when_the_serializer_is_unchanged(build):
    serializer = """
class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"
"""
    viewset = """

class ProfileViewSet(viewsets.ModelViewSet):
    queryset = Profile.objects.all()
    serializer_class = ProfileSerializer  # <-
"""
    source = HEAD + serializer + viewset
    hits = scan(build, source, before=HEAD + serializer)
    assert [(h.rule_id, h.line) for h in hits] == [("mass-assignment", marked_line(source))]


def test_bound_form_is_reported_at_the_binding_when_its_meta_is_unchanged(build):
    form = """
class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = "__all__"
"""
    view = """

def edit(request):
    form = ProfileForm(request.POST, instance=request.user.profile)  # <-
    form.save()
    return JsonResponse({})
"""
    source = HEAD + form + view
    hits = scan(build, source, before=HEAD + form)
    assert [(h.rule_id, h.line) for h in hits] == [("mass-assignment", marked_line(source))]
