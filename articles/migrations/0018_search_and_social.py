# Search and social metadata: per story (SEO title, meta description, social headline, description and image) and for the site (default share image, publisher logo).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_search_index_fastupdate_off'),
        ('pictures', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='meta_description',
            field=models.CharField(blank=True, help_text='The text under the title in search results; the standfirst if left empty. Google shows about the first 155 characters.', max_length=300),
        ),
        migrations.AddField(
            model_name='article',
            name='seo_title',
            field=models.CharField(blank=True, help_text="The title in search results, if it should differ from the headline (the site's name follows it). Google shows about the first 60 characters of the two.", max_length=100, verbose_name='SEO title'),
        ),
        migrations.AddField(
            model_name='article',
            name='social_description',
            field=models.CharField(blank=True, help_text='The text of the card when the story is shared; the standfirst if left empty. Cards show about the first 200 characters, often fewer.', max_length=300),
        ),
        migrations.AddField(
            model_name='article',
            name='social_headline',
            field=models.CharField(blank=True, help_text='The headline of the card when the story is shared; the headline if left empty. Cards show about the first 70 characters.', max_length=150),
        ),
        migrations.AddField(
            model_name='article',
            name='social_image',
            field=models.ForeignKey(blank=True, editable=False, help_text='The picture of the card when the story is shared; the lead image if none.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pictures.picture'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='default_share_image',
            field=models.ForeignKey(blank=True, editable=False, help_text='The picture of a share card for pages without one of their own (the home, listings, stories without a picture).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pictures.picture'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='publisher_logo',
            field=models.ForeignKey(blank=True, editable=False, help_text="The publisher's logo in structured data (search engines) and feeds: square works best.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pictures.picture'),
        ),
    ]
