import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hockey data model.
 *
 * Synced tables (what mobile clients sync) all share the same frame: a uuid
 * id, `hidden` (rows are never deleted, only hidden, so that clients learn
 * they are gone), `created_at` and `updated_at`, and `sync_enable()` right
 * after their CREATE TABLE, which attaches the change-feed triggers (see
 * 1764000000000-change-feed.ts). Type names in the feed are the singular of
 * the table name.
 *
 * Rows that have an identity at a statistics provider carry `source` (e.g.
 * 'nhl') and `external_id` (the provider's id), unique together; both are
 * NULL on rows made by editors. Rows that are facts ABOUT other rows (roster
 * entries, lineups, standings, statistics) have no identity of their own at a
 * provider: their natural key is unique instead, which is what makes
 * imports idempotent (INSERT ... ON CONFLICT on that key).
 *
 * Rules that apply throughout:
 *   - Enumerations are text columns with CHECK constraints, not CREATE TYPE:
 *     adding a value is then a constraint swap, not an ALTER TYPE that cannot
 *     run in a transaction block on older servers and cannot remove values.
 *   - Never `json`: the feed's triggers compare rows with IS DISTINCT FROM,
 *     and json has no equality operator. Free-form data is `jsonb`, always an
 *     object (checked), so clients can treat it as a map.
 *   - No generated columns on synced tables: in a BEFORE UPDATE trigger NEW
 *     holds no computed value yet, so sync_before_update() would see every
 *     UPDATE as a change and bump updated_at even on no-ops. Derived values
 *     (points, goal differential) are plain columns filled by the writer.
 *   - No ON DELETE CASCADE towards synced rows: they are never deleted.
 *   - Percentages are fractions between 0 and 1 (the NHL API's convention:
 *     0.915, not 91.5), checked.
 *   - `name_i18n` maps a locale to the localized name, e.g.
 *     {"fr": "Canadiens de Montréal"}; `name` holds the default.
 */
export class HockeySchema1764000001000 implements MigrationInterface {
  name = 'HockeySchema1764000001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- ---------------------------------------------------------------------
      -- Competition structure
      -- ---------------------------------------------------------------------

      CREATE TABLE tournaments (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source      text,
        external_id text,
        name        text        NOT NULL,
        name_i18n   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(name_i18n) = 'object'),
        short_name  text,
        logo_url    text,
        hidden      boolean     NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        -- Half an external identity cannot be deduplicated: both or neither.
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('tournament', 'tournaments');

      CREATE TABLE seasons (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source        text,
        external_id   text,
        tournament_id uuid        NOT NULL REFERENCES tournaments (id),
        name          text        NOT NULL,  -- as displayed: '2024-25'
        starts_on     date,
        ends_on       date,
        -- The season apps open on. Not forced to be unique per tournament:
        -- an editor switching seasons would have to clear the old flag first.
        is_current    boolean     NOT NULL DEFAULT false,
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL)),
        UNIQUE (tournament_id, name),
        CHECK (ends_on >= starts_on)
      );
      SELECT sync_enable('season', 'seasons');

      -- A stage groups matches and standings within a season: the regular
      -- season, its conferences and divisions (children via parent_id), the
      -- groups of a tournament, the rounds of the playoffs.
      CREATE TABLE stages (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source      text,
        external_id text,
        season_id   uuid        NOT NULL REFERENCES seasons (id),
        parent_id   uuid        REFERENCES stages (id),
        kind        text        NOT NULL
                    CHECK (kind IN ('regular', 'conference', 'division', 'group', 'playoff_round')),
        name        text        NOT NULL,
        name_i18n   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(name_i18n) = 'object'),
        sort_order  integer     NOT NULL DEFAULT 0,
        hidden      boolean     NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL)),
        CHECK (parent_id <> id)
      );
      SELECT sync_enable('stage', 'stages');
      CREATE INDEX stages_season_id_idx ON stages (season_id, sort_order);
      CREATE INDEX stages_parent_id_idx ON stages (parent_id);

      -- ---------------------------------------------------------------------
      -- Places, teams, people
      -- ---------------------------------------------------------------------

      CREATE TABLE arenas (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source      text,
        external_id text,
        name        text        NOT NULL,
        name_i18n   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(name_i18n) = 'object'),
        city        text,
        country     text,  -- ISO 3166-1 alpha-3, as the NHL API gives it ('CAN', 'USA')
        capacity    integer     CHECK (capacity > 0),
        time_zone   text,  -- IANA name ('America/Los_Angeles'): local start times
        hidden      boolean     NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('arena', 'arenas');

      CREATE TABLE teams (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source          text,
        external_id     text,
        name            text        NOT NULL,  -- 'Seattle Kraken'
        name_i18n       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(name_i18n) = 'object'),
        short_name      text,                  -- 'Kraken'
        -- Not unique: abbreviations are reused across leagues and eras.
        abbreviation    text,                  -- 'SEA'
        city            text,
        logo_url        text,
        primary_color   text        CHECK (primary_color ~ '^#[0-9A-Fa-f]{6}$'),
        secondary_color text        CHECK (secondary_color ~ '^#[0-9A-Fa-f]{6}$'),
        arena_id        uuid        REFERENCES arenas (id),  -- home arena
        hidden          boolean     NOT NULL DEFAULT false,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('team', 'teams');
      CREATE INDEX teams_arena_id_idx ON teams (arena_id);

      CREATE TABLE persons (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source         text,
        external_id    text,
        -- Officials come from the NHL API as one full name only, hence the
        -- nullable parts and the required full_name.
        first_name     text,
        last_name      text,
        full_name      text        NOT NULL,
        name_i18n      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(name_i18n) = 'object'),
        birth_date     date,
        nationality    text,  -- ISO 3166-1 alpha-3
        height_cm      integer     CHECK (height_cm > 0),
        weight_kg      integer     CHECK (weight_kg > 0),
        shoots_catches text        CHECK (shoots_catches IN ('L', 'R')),
        photo_url      text,
        role           text        NOT NULL DEFAULT 'player'
                       CHECK (role IN ('player', 'coach', 'official')),
        hidden         boolean     NOT NULL DEFAULT false,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('person', 'persons');

      -- Who plays for whom in a season.
      CREATE TABLE roster_entries (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        season_id     uuid        NOT NULL REFERENCES seasons (id),
        team_id       uuid        NOT NULL REFERENCES teams (id),
        person_id     uuid        NOT NULL REFERENCES persons (id),
        jersey_number integer     CHECK (jersey_number BETWEEN 0 AND 99),
        position      text        CHECK (position IN ('C', 'LW', 'RW', 'D', 'G')),  -- NULL for staff
        captaincy     text        CHECK (captaincy IN ('captain', 'alternate')),
        -- false once traded away or released: the entry stays for the record.
        active        boolean     NOT NULL DEFAULT true,
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (season_id, team_id, person_id)
      );
      SELECT sync_enable('roster_entry', 'roster_entries');
      CREATE INDEX roster_entries_team_id_idx ON roster_entries (team_id, season_id);
      CREATE INDEX roster_entries_person_id_idx ON roster_entries (person_id);

      -- ---------------------------------------------------------------------
      -- Matches and what happens in them
      -- ---------------------------------------------------------------------

      CREATE TABLE matches (
        id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source                  text,
        external_id             text,
        season_id               uuid        NOT NULL REFERENCES seasons (id),
        stage_id                uuid        REFERENCES stages (id),
        home_team_id            uuid        NOT NULL REFERENCES teams (id),
        away_team_id            uuid        NOT NULL REFERENCES teams (id),
        arena_id                uuid        REFERENCES arenas (id),
        -- Free text for a venue that has no arena row (neutral sites, outdoor games).
        venue                   text,
        starts_at               timestamptz NOT NULL,
        status                  text        NOT NULL DEFAULT 'scheduled'
                                CHECK (status IN ('scheduled', 'live', 'finished', 'postponed', 'cancelled')),
        game_type               text        NOT NULL DEFAULT 'regular'
                                CHECK (game_type IN ('regular', 'playoff', 'preseason')),
        -- Live clock. period: 1-3 regulation, 4+ overtime (and the shootout
        -- in the NHL regular season); NULL before the start.
        period                  integer     CHECK (period >= 1),
        clock_seconds_remaining integer     CHECK (clock_seconds_remaining >= 0),
        clock_running           boolean     NOT NULL DEFAULT false,
        -- When clock_seconds_remaining was read: a client runs a running clock
        -- from there. updated_at cannot serve: any other change moves it.
        clock_updated_at        timestamptz,
        in_intermission         boolean     NOT NULL DEFAULT false,
        home_score              integer     NOT NULL DEFAULT 0 CHECK (home_score >= 0),
        away_score              integer     NOT NULL DEFAULT 0 CHECK (away_score >= 0),
        overtime                boolean     NOT NULL DEFAULT false,  -- decided in overtime
        shootout                boolean     NOT NULL DEFAULT false,  -- decided in a shootout
        attendance              integer     CHECK (attendance >= 0),
        hidden                  boolean     NOT NULL DEFAULT false,
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL)),
        CHECK (home_team_id <> away_team_id)
      );
      SELECT sync_enable('match', 'matches');
      CREATE INDEX matches_starts_at_idx ON matches (starts_at);
      CREATE INDEX matches_season_id_idx ON matches (season_id, starts_at);
      CREATE INDEX matches_stage_id_idx ON matches (stage_id);
      -- A team's schedule is the union of its home and away matches.
      CREATE INDEX matches_home_team_id_idx ON matches (home_team_id, starts_at);
      CREATE INDEX matches_away_team_id_idx ON matches (away_team_id, starts_at);
      CREATE INDEX matches_arena_id_idx ON matches (arena_id);
      -- The importer and the pusher poll for the few live matches.
      CREATE INDEX matches_live_idx ON matches (starts_at) WHERE status = 'live';

      -- Play-by-play. One table for every kind of event: the common columns
      -- are typed, the goal/penalty/shootout columns are NULL on other kinds,
      -- and whatever else a provider sends goes into details.
      -- external_id must be unique per source across ALL matches; NHL event
      -- ids are only unique within a game, so compose '<gameId>:<eventId>'.
      CREATE TABLE match_events (
        id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source              text,
        external_id         text,
        match_id            uuid        NOT NULL REFERENCES matches (id),
        type                text        NOT NULL CHECK (type IN (
                              'goal', 'penalty', 'shot', 'missed_shot', 'blocked_shot', 'save',
                              'faceoff', 'hit', 'giveaway', 'takeaway', 'fight', 'injury',
                              'substitution', 'goalie_change', 'timeout', 'period_start',
                              'period_end', 'shootout_attempt', 'stoppage', 'other')),
        period              integer     NOT NULL CHECK (period >= 1),
        clock_seconds       integer     NOT NULL DEFAULT 0 CHECK (clock_seconds >= 0),  -- elapsed in the period
        -- The provider's order: breaks ties between events at the same second.
        sort_order          integer     NOT NULL DEFAULT 0,
        team_id             uuid        REFERENCES teams (id),
        -- Who did it: scorer, shooter, penalized player, faceoff winner, hitter...
        primary_person_id   uuid        REFERENCES persons (id),
        -- To whom: goalie in net (goal, shot, save), faceoff loser, player
        -- hit, shot blocker, fight opponent...
        secondary_person_id uuid        REFERENCES persons (id),
        -- Goals
        assist1_person_id   uuid        REFERENCES persons (id),
        assist2_person_id   uuid        REFERENCES persons (id),
        strength            text        CHECK (strength IN ('ev', 'pp', 'sh')),
        empty_net           boolean     NOT NULL DEFAULT false,
        home_score          integer     CHECK (home_score >= 0),  -- score after the goal
        away_score          integer     CHECK (away_score >= 0),
        -- Penalties
        infraction          text,
        penalty_minutes     integer     CHECK (penalty_minutes >= 0),
        served_by_person_id uuid        REFERENCES persons (id),
        drawn_by_person_id  uuid        REFERENCES persons (id),
        -- Shootouts
        shootout_scored     boolean,
        -- Rink coordinates in feet from centre ice, NHL convention
        -- (x -100..100 along the rink, y -42.5..42.5 across).
        x                   double precision,
        y                   double precision,
        description         text,
        details             jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
        hidden              boolean     NOT NULL DEFAULT false,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('match_event', 'match_events');
      CREATE INDEX match_events_match_id_idx ON match_events (match_id, period, clock_seconds, sort_order);
      CREATE INDEX match_events_primary_person_id_idx ON match_events (primary_person_id);

      -- Who dressed for a match, and on which line.
      CREATE TABLE lineups (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id      uuid        NOT NULL REFERENCES matches (id),
        team_id       uuid        NOT NULL REFERENCES teams (id),
        person_id     uuid        NOT NULL REFERENCES persons (id),
        jersey_number integer     CHECK (jersey_number BETWEEN 0 AND 99),
        position      text        CHECK (position IN ('C', 'LW', 'RW', 'D', 'G')),
        line          text,  -- 'L1'..'L4', 'D1'..'D3', 'G'
        starter       boolean     NOT NULL DEFAULT false,
        scratched     boolean     NOT NULL DEFAULT false,
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (match_id, person_id)
      );
      SELECT sync_enable('lineup', 'lineups');
      CREATE INDEX lineups_person_id_idx ON lineups (person_id);

      -- Live text commentary, mostly written by editors.
      CREATE TABLE commentary_lines (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source        text,
        external_id   text,
        match_id      uuid        NOT NULL REFERENCES matches (id),
        period        integer     CHECK (period >= 1),  -- NULL before and after the game
        clock_seconds integer     CHECK (clock_seconds >= 0),
        body          text        NOT NULL,
        -- A rendering hint, deliberately open: clients render unknown kinds as 'text'.
        kind          text        NOT NULL DEFAULT 'text',
        posted_at     timestamptz NOT NULL DEFAULT now(),
        author        text,
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('commentary_line', 'commentary_lines');
      CREATE INDEX commentary_lines_match_id_idx ON commentary_lines (match_id, posted_at);

      CREATE TABLE video_moments (
        id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        source           text,
        external_id      text,
        match_id         uuid        NOT NULL REFERENCES matches (id),
        event_id         uuid        REFERENCES match_events (id),
        kind             text        NOT NULL
                         CHECK (kind IN ('goal', 'fight', 'save', 'shootout', 'highlight')),
        title            text        NOT NULL,
        clip_url         text        NOT NULL,
        thumbnail_url    text,
        duration_seconds integer     CHECK (duration_seconds > 0),
        published_at     timestamptz NOT NULL DEFAULT now(),
        hidden           boolean     NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, external_id),
        CHECK ((source IS NULL) = (external_id IS NULL))
      );
      SELECT sync_enable('video_moment', 'video_moments');
      CREATE INDEX video_moments_match_id_idx ON video_moments (match_id, published_at);
      CREATE INDEX video_moments_event_id_idx ON video_moments (event_id);

      -- Every client syncs these rows, url included: for a paid stream the
      -- url must not itself grant access (point it at an endpoint that checks
      -- the entitlement and hands out a signed URL).
      CREATE TABLE streams (
        id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id             uuid        NOT NULL REFERENCES matches (id),
        kind                 text        NOT NULL CHECK (kind IN ('live', 'replay')),
        url                  text        NOT NULL,
        -- Fail closed: a stream someone forgot to configure is not free.
        requires_entitlement boolean     NOT NULL DEFAULT true,
        starts_at            timestamptz,
        ends_at              timestamptz,
        hidden               boolean     NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at >= starts_at)
      );
      SELECT sync_enable('stream', 'streams');
      CREATE INDEX streams_match_id_idx ON streams (match_id);

      -- ---------------------------------------------------------------------
      -- Tables and statistics
      -- ---------------------------------------------------------------------

      -- stage_id NULL is the whole season's table (league-wide).
      CREATE TABLE standings (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        season_id         uuid        NOT NULL REFERENCES seasons (id),
        stage_id          uuid        REFERENCES stages (id),
        team_id           uuid        NOT NULL REFERENCES teams (id),
        rank              integer     NOT NULL CHECK (rank >= 1),
        games_played      integer     NOT NULL DEFAULT 0,
        wins              integer     NOT NULL DEFAULT 0,
        losses            integer     NOT NULL DEFAULT 0,
        ot_losses         integer     NOT NULL DEFAULT 0,
        points            integer     NOT NULL DEFAULT 0,
        goals_for         integer     NOT NULL DEFAULT 0,
        goals_against     integer     NOT NULL DEFAULT 0,
        goal_differential integer     NOT NULL DEFAULT 0,
        points_pct        numeric     CHECK (points_pct BETWEEN 0 AND 1),
        streak            text,  -- 'W3'
        l10               text,  -- record in the last ten: '6-3-1'
        hidden            boolean     NOT NULL DEFAULT false,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        -- NULLS NOT DISTINCT (PostgreSQL 15+): one league-wide row per team
        -- too; a plain UNIQUE would let any number of NULL-stage rows in.
        -- Usable as an ON CONFLICT (season_id, stage_id, team_id) target.
        UNIQUE NULLS NOT DISTINCT (season_id, stage_id, team_id)
      );
      SELECT sync_enable('standing', 'standings');
      CREATE INDEX standings_stage_id_idx ON standings (stage_id);
      CREATE INDEX standings_team_id_idx ON standings (team_id);

      -- game_type: the NHL keeps regular-season and playoff figures apart.
      CREATE TABLE team_season_stats (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        season_id     uuid        NOT NULL REFERENCES seasons (id),
        team_id       uuid        NOT NULL REFERENCES teams (id),
        game_type     text        NOT NULL DEFAULT 'regular'
                      CHECK (game_type IN ('regular', 'playoff', 'preseason')),
        games_played  integer     NOT NULL DEFAULT 0,
        goals_for     integer     NOT NULL DEFAULT 0,
        goals_against integer     NOT NULL DEFAULT 0,
        shots_for     integer     NOT NULL DEFAULT 0,
        shots_against integer     NOT NULL DEFAULT 0,
        pp_pct        numeric     CHECK (pp_pct BETWEEN 0 AND 1),
        pk_pct        numeric     CHECK (pk_pct BETWEEN 0 AND 1),
        faceoff_pct   numeric     CHECK (faceoff_pct BETWEEN 0 AND 1),
        stats         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (season_id, team_id, game_type)
      );
      SELECT sync_enable('team_season_stats', 'team_season_stats');
      CREATE INDEX team_season_stats_team_id_idx ON team_season_stats (team_id);

      CREATE TABLE team_match_stats (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id        uuid        NOT NULL REFERENCES matches (id),
        team_id         uuid        NOT NULL REFERENCES teams (id),
        goals           integer     NOT NULL DEFAULT 0,
        shots           integer     NOT NULL DEFAULT 0,
        hits            integer     NOT NULL DEFAULT 0,
        blocked_shots   integer     NOT NULL DEFAULT 0,
        pim             integer     NOT NULL DEFAULT 0,  -- penalty minutes
        powerplay       text        CHECK (powerplay ~ '^[0-9]+/[0-9]+$'),  -- goals/opportunities: '1/3'
        faceoff_win_pct numeric     CHECK (faceoff_win_pct BETWEEN 0 AND 1),
        giveaways       integer     NOT NULL DEFAULT 0,
        takeaways       integer     NOT NULL DEFAULT 0,
        stats           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
        hidden          boolean     NOT NULL DEFAULT false,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (match_id, team_id)
      );
      SELECT sync_enable('team_match_stats', 'team_match_stats');
      CREATE INDEX team_match_stats_team_id_idx ON team_match_stats (team_id);

      -- team_id NULL: the player's totals over all the teams he played for
      -- that season (traded players have one row per team plus this one).
      CREATE TABLE player_season_stats (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        season_id     uuid        NOT NULL REFERENCES seasons (id),
        team_id       uuid        REFERENCES teams (id),
        person_id     uuid        NOT NULL REFERENCES persons (id),
        game_type     text        NOT NULL DEFAULT 'regular'
                      CHECK (game_type IN ('regular', 'playoff', 'preseason')),
        games_played  integer     NOT NULL DEFAULT 0,
        goals         integer     NOT NULL DEFAULT 0,
        assists       integer     NOT NULL DEFAULT 0,
        points        integer     NOT NULL DEFAULT 0,
        plus_minus    integer     NOT NULL DEFAULT 0,
        pim           integer     NOT NULL DEFAULT 0,
        shots         integer     NOT NULL DEFAULT 0,
        toi_seconds   integer     NOT NULL DEFAULT 0,  -- total time on ice
        -- Goalies only (NULL for skaters)
        wins          integer,
        losses        integer,
        ot_losses     integer,
        save_pct      numeric     CHECK (save_pct BETWEEN 0 AND 1),
        gaa           numeric     CHECK (gaa >= 0),  -- goals against average
        shutouts      integer,
        stats         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (season_id, person_id, team_id, game_type)
      );
      SELECT sync_enable('player_season_stats', 'player_season_stats');
      CREATE INDEX player_season_stats_person_id_idx ON player_season_stats (person_id);
      CREATE INDEX player_season_stats_team_id_idx ON player_season_stats (team_id, season_id);

      CREATE TABLE player_match_stats (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id      uuid        NOT NULL REFERENCES matches (id),
        team_id       uuid        NOT NULL REFERENCES teams (id),
        person_id     uuid        NOT NULL REFERENCES persons (id),
        goals         integer     NOT NULL DEFAULT 0,
        assists       integer     NOT NULL DEFAULT 0,
        points        integer     NOT NULL DEFAULT 0,
        plus_minus    integer     NOT NULL DEFAULT 0,
        pim           integer     NOT NULL DEFAULT 0,
        shots         integer     NOT NULL DEFAULT 0,
        hits          integer     NOT NULL DEFAULT 0,
        blocked_shots integer     NOT NULL DEFAULT 0,
        toi_seconds   integer     NOT NULL DEFAULT 0,
        -- Goalies only (NULL for skaters)
        saves         integer,
        shots_against integer,
        save_pct      numeric     CHECK (save_pct BETWEEN 0 AND 1),
        stats         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stats) = 'object'),
        hidden        boolean     NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (match_id, person_id)
      );
      SELECT sync_enable('player_match_stats', 'player_match_stats');
      CREATE INDEX player_match_stats_person_id_idx ON player_match_stats (person_id);

      -- ---------------------------------------------------------------------
      -- Private tables: never in the feed, rows may be deleted.
      -- ---------------------------------------------------------------------

      CREATE TABLE devices (
        id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        platform              text        NOT NULL CHECK (platform IN ('ios', 'android')),
        push_token            text        UNIQUE,
        -- Set when APNs/FCM rejects the token: the pusher skips the device
        -- until the app registers a new one.
        push_token_invalid_at timestamptz,
        locale                text,  -- BCP 47: 'fr-CA'
        time_zone             text,  -- IANA name
        app_version           text,
        -- Hash of the device's secret key (the key itself is never stored).
        -- Unique, so the API can find a device by it.
        key_hash              text        NOT NULL UNIQUE,
        last_seen_at          timestamptz NOT NULL DEFAULT now(),
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now()
      );

      -- What a device wants pushed. target_id names a team or a match,
      -- depending on target_kind, so it cannot have a foreign key.
      CREATE TABLE device_subscriptions (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Subscriptions are worthless without their device.
        device_id   uuid        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        target_kind text        NOT NULL CHECK (target_kind IN ('team', 'match')),
        target_id   uuid        NOT NULL,
        kinds       text[]      NOT NULL DEFAULT '{goal,penalty,period,final,video}'
                    CHECK (kinds <@ ARRAY['goal', 'penalty', 'period', 'final', 'video']),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (device_id, target_kind, target_id)
      );
      -- The pusher's fan-out: who follows this team / this match?
      CREATE INDEX device_subscriptions_target_idx ON device_subscriptions (target_kind, target_id);

      -- What can be bought: a match, a season, or a team (for a season or for good).
      CREATE TABLE products (
        id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        sku        text        NOT NULL UNIQUE,  -- the store product id
        kind       text        NOT NULL CHECK (kind IN ('match', 'season', 'team')),
        title      text        NOT NULL,
        season_id  uuid        REFERENCES seasons (id),
        team_id    uuid        REFERENCES teams (id),
        match_id   uuid        REFERENCES matches (id),
        active     boolean     NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- Each kind names what it unlocks.
        CHECK (CASE kind
                 WHEN 'match'  THEN match_id IS NOT NULL
                 WHEN 'season' THEN season_id IS NOT NULL AND team_id IS NULL AND match_id IS NULL
                 WHEN 'team'   THEN team_id IS NOT NULL AND match_id IS NULL
               END)
      );
      CREATE INDEX products_season_id_idx ON products (season_id);
      CREATE INDEX products_team_id_idx ON products (team_id);
      CREATE INDEX products_match_id_idx ON products (match_id);

      -- Store transactions. No cascade from devices: these are financial records.
      CREATE TABLE purchases (
        id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        device_id            uuid        NOT NULL REFERENCES devices (id),
        product_id           uuid        NOT NULL REFERENCES products (id),
        store                text        NOT NULL CHECK (store IN ('apple', 'google')),
        -- Unique: a store's retry of the same notification must not buy twice.
        store_transaction_id text        NOT NULL UNIQUE,
        receipt              jsonb       NOT NULL CHECK (jsonb_typeof(receipt) = 'object'),
        status               text        NOT NULL DEFAULT 'active'
                             CHECK (status IN ('active', 'refunded', 'revoked')),
        purchased_at         timestamptz NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX purchases_device_id_idx ON purchases (device_id);
      CREATE INDEX purchases_product_id_idx ON purchases (product_id);

      -- What a device may watch. purchase_id is NULL for entitlements granted
      -- by hand (complimentary access, support gestures).
      CREATE TABLE entitlements (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        device_id   uuid        NOT NULL REFERENCES devices (id),
        product_id  uuid        NOT NULL REFERENCES products (id),
        purchase_id uuid        REFERENCES purchases (id),
        starts_at   timestamptz NOT NULL DEFAULT now(),
        ends_at     timestamptz,  -- NULL: no end
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX entitlements_device_id_idx ON entitlements (device_id, product_id);
      CREATE INDEX entitlements_product_id_idx ON entitlements (product_id);
      CREATE INDEX entitlements_purchase_id_idx ON entitlements (purchase_id);

      CREATE TABLE admin_users (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Stored lower-case so that UNIQUE means unique regardless of case;
        -- the application lower-cases on sign-up and on login.
        email         text        NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '_%@_%'),
        display_name  text        NOT NULL,
        password_hash text        NOT NULL,
        role          text        NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'editor', 'viewer')),
        disabled      boolean     NOT NULL DEFAULT false,
        failed_logins integer     NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        locked_until  timestamptz,
        last_login_at timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );

      -- Who did what in the CMS. Append-only (see the trigger below), so an
      -- admin user who has entries cannot be deleted (the foreign key would
      -- have to change them): disable the account instead.
      CREATE TABLE audit_log (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_user_id uuid        REFERENCES admin_users (id),  -- NULL: the system, or a failed login
        action        text        NOT NULL CHECK (action IN (
                        'create', 'update', 'delete', 'hide', 'unhide', 'login', 'login_failed', 'logout')),
        resource      text        NOT NULL,  -- table or resource name: 'matches', 'session'
        record_id     text,                  -- text: not every resource has a uuid id
        -- The changed fields only: {"before": {...}, "after": {...}}.
        changes       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(changes) = 'object'),
        at            timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_record_idx ON audit_log (resource, record_id);
      CREATE INDEX audit_log_at_idx ON audit_log (at);
      CREATE INDEX audit_log_admin_user_id_idx ON audit_log (admin_user_id, at);

      -- An audit trail that can be edited proves nothing. Purging old entries
      -- (retention) is a deliberate act by the table owner:
      -- ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only.
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation',
                HINT = 'Record a correction as a new entry instead.';
      END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Detach the synced tables from the feed first: removes their triggers,
      -- their sync_type rows and their sync_change rows (sync_type holds a
      -- regclass, which would dangle after a plain DROP TABLE).
      SELECT sync_disable('player_match_stats');
      SELECT sync_disable('player_season_stats');
      SELECT sync_disable('team_match_stats');
      SELECT sync_disable('team_season_stats');
      SELECT sync_disable('standing');
      SELECT sync_disable('stream');
      SELECT sync_disable('video_moment');
      SELECT sync_disable('commentary_line');
      SELECT sync_disable('lineup');
      SELECT sync_disable('match_event');
      SELECT sync_disable('match');
      SELECT sync_disable('roster_entry');
      SELECT sync_disable('person');
      SELECT sync_disable('team');
      SELECT sync_disable('arena');
      SELECT sync_disable('stage');
      SELECT sync_disable('season');
      SELECT sync_disable('tournament');

      DROP TABLE audit_log;
      DROP FUNCTION audit_log_refuse_change();
      DROP TABLE admin_users;
      DROP TABLE entitlements;
      DROP TABLE purchases;
      DROP TABLE products;
      DROP TABLE device_subscriptions;
      DROP TABLE devices;
      DROP TABLE player_match_stats;
      DROP TABLE player_season_stats;
      DROP TABLE team_match_stats;
      DROP TABLE team_season_stats;
      DROP TABLE standings;
      DROP TABLE streams;
      DROP TABLE video_moments;
      DROP TABLE commentary_lines;
      DROP TABLE lineups;
      DROP TABLE match_events;
      DROP TABLE matches;
      DROP TABLE roster_entries;
      DROP TABLE persons;
      DROP TABLE teams;
      DROP TABLE arenas;
      DROP TABLE stages;
      DROP TABLE seasons;
      DROP TABLE tournaments;
    `);
  }
}
