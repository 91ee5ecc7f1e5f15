using Firebreak.Core.Mentions;

namespace Firebreak.Storage.Tests;

public abstract class PaginationTests(PaginationData data)
{
    [StoreTheory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(59)]
    [InlineData(60)]
    [InlineData(61)]
    public async Task ListAsync_WalkingCursors_VisitsEveryItemOnceInOrder(int pageSize)
    {
        var expected = await ExpectedAsync("SELECT id FROM mentions WHERE workspace_id = $w ORDER BY created_at DESC, id DESC");

        var walked = await WalkAsync(new MentionFilter(), pageSize);

        Assert.Equal(expected, walked);
    }

    [StoreTheory]
    [InlineData(3)]
    [InlineData(30)]
    public async Task ListAsync_WalkingTopicCursors_VisitsEveryMemberOnce(int pageSize)
    {
        var expected = await ExpectedAsync("SELECT m.id FROM mentions m WHERE m.workspace_id = $w AND m.text LIKE 'even%' ORDER BY m.created_at DESC, m.id DESC");
        Assert.Equal(PaginationData.Total / 2, expected.Count);

        Assert.Equal(expected, await WalkAsync(new MentionFilter { TopicId = data.EvenTopic }, pageSize));
        Assert.Equal(expected, await WalkAsync(new MentionFilter { Text = "even" }, pageSize));
    }

    [StoreTheory]
    [InlineData(3)]
    [InlineData(64)]
    public async Task ListAsync_WalkingNotOnlyQuery_VisitsEveryMatchOnce(int pageSize)
    {
        var expected = await ExpectedAsync("SELECT m.id FROM mentions m WHERE m.workspace_id = $w AND m.text LIKE 'odd%' ORDER BY m.created_at DESC, m.id DESC");

        Assert.Equal(expected, await WalkAsync(new MentionFilter { Text = "-even" }, pageSize));
    }

    [StoreFact]
    public async Task ListAsync_CursorInsideATie_ResumesWithTheRestOfTheTie()
    {
        var first = await data.Store.Reader.ListAsync(data.Workspace, new MentionFilter(), null, 2, CancellationToken.None);
        Assert.True(MentionCursor.TryDecode(first.NextCursor, out var cursor));

        var second = await data.Store.Reader.ListAsync(data.Workspace, new MentionFilter(), cursor, 2, CancellationToken.None);

        var four = first.Items.Concat(second.Items).ToList();
        Assert.Single(four.Select(m => m.CreatedAt).Distinct());
        Assert.Equal(four.Select(m => m.Id).OrderDescending(), four.Select(m => m.Id));
        Assert.Equal(new MentionCursor(first.Items[^1].CreatedAt.ToUnixTimeMilliseconds(), first.Items[^1].Id), cursor);
    }

    [StoreFact]
    public async Task StreamAsync_All_SameOrderAsPages()
    {
        var streamed = new List<long>();
        await foreach (var mention in data.Store.Reader.StreamAsync(data.Workspace, new MentionFilter(), CancellationToken.None))
        {
            streamed.Add(mention.Id);
        }

        Assert.Equal(await WalkAsync(new MentionFilter(), 9), streamed);
        Assert.Equal(PaginationData.Total, streamed.Count);
    }

    private async Task<List<long>> ExpectedAsync(string sql) =>
        (await data.Store.RowsAsync(sql, ("$w", data.Workspace))).Select(r => (long)r[0]).ToList();

    private async Task<List<long>> WalkAsync(MentionFilter filter, int pageSize)
    {
        var ids = new List<long>();
        MentionCursor? cursor = null;
        for (var pages = 0; pages <= PaginationData.Total + 1; pages++)
        {
            var page = await data.Store.Reader.ListAsync(data.Workspace, filter, cursor, pageSize, CancellationToken.None);
            Assert.InRange(page.Items.Count, cursor is null ? 0 : 1, pageSize);
            ids.AddRange(page.Items.Select(m => m.Id));
            if (page.NextCursor is null)
            {
                return ids;
            }

            // A page with a cursor after it is full: short pages only come at the end.
            Assert.Equal(pageSize, page.Items.Count);
            Assert.True(MentionCursor.TryDecode(page.NextCursor, out var next));
            cursor = next;
        }

        Assert.Fail("pagination did not terminate");
        return ids;
    }
}

public sealed class SqlitePaginationTests(SqlitePaginationData data) : PaginationTests(data), IClassFixture<SqlitePaginationData>;

[RequiresPostgres]
public sealed class PostgresPaginationTests(PostgresPaginationData data) : PaginationTests(data), IClassFixture<PostgresPaginationData>;
